package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.Table;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the sink needs to know about one destination table, read once and cached: its data columns and their types,
 * the partition key columns, whether it takes upserts, and the partitions known to exist.
 */
final class TableInfo {

    /** As the setting or the row names it: table, or project.schema.table. */
    final String name;
    /** The schema of a three-level name; null for the two-level model. */
    final String schemaName;
    /** The table's own name, without project and schema. */
    final String tableName;
    final Table table;
    final TableSchema schema;
    final OdpsType[] types;
    /** The data columns' types, by index (read for every value written). */
    final TypeInfo[] typeInfos;
    final List<String> partitionColumns;
    /** Transactional with a primary key: writes can be upserts. */
    final boolean delta;
    /**
     * Partitions known to exist, at most {@link #KNOWN_PARTITIONS_MAX}, least recently used first out: time partitions
     * keep coming for as long as the table is written, and one that fell out costs one question to the service.
     */
    final Set<String> knownPartitions = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > KNOWN_PARTITIONS_MAX;
        }
    }));
    static final int KNOWN_PARTITIONS_MAX = 256;
    private final Map<String, Integer> index = new HashMap<>();

    TableInfo(String name, Table table, TableSchema schema, boolean delta) {
        this.name = name;
        String[] names = name.split("\\.");
        this.schemaName = names.length == 3 ? names[1] : null;
        this.tableName = names[names.length - 1];
        this.table = table;
        this.schema = schema;
        this.delta = delta;
        List<Column> columns = schema.getColumns();
        types = new OdpsType[columns.size()];
        typeInfos = new TypeInfo[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            typeInfos[i] = columns.get(i).getTypeInfo();
            types[i] = typeInfos[i].getOdpsType();
            index.put(columns.get(i).getName(), i);
            index.putIfAbsent(columns.get(i).getName().toLowerCase(Locale.ROOT), i);
        }
        List<String> parts = new ArrayList<>();
        schema.getPartitionColumns().forEach(c -> parts.add(c.getName()));
        partitionColumns = List.copyOf(parts);
    }

    /** Index of a data column; names match case-insensitively, as in MaxCompute. -1 when there is none. */
    int indexOf(String column) {
        Integer i = index.get(column);
        if (i == null) i = index.get(column.toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }

    /**
     * A row's partition in the table's spelling and order of its partition columns, whose names match without regard
     * to case as MaxCompute's do; null when the row's keys are not exactly the table's partition columns.
     */
    Map<String, String> partition(Map<String, String> values) {
        if (values.size() != partitionColumns.size()) return null;
        Map<String, String> byLower = new HashMap<>();
        values.forEach((k, v) -> byLower.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : partitionColumns) {
            String v = byLower.get(c.toLowerCase(Locale.ROOT));
            if (v == null) return null;
            out.put(c, v);
        }
        return out;
    }

    int columnCount() {
        return types.length;
    }

    String columnName(int i) {
        return schema.getColumn(i).getName();
    }
}
