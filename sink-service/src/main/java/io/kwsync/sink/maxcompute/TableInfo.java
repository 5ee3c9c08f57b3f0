package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.Table;
import com.aliyun.odps.TableSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the sink needs to know about one destination table, read once and cached: its data columns and their types,
 * the partition key columns, whether it takes upserts, and the partitions known to exist.
 */
final class TableInfo {

    final String name;
    final Table table;
    final TableSchema schema;
    final OdpsType[] types;
    final List<String> partitionColumns;
    /** Transactional with a primary key: writes can be upserts. */
    final boolean delta;
    final Set<String> knownPartitions = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> index = new HashMap<>();

    TableInfo(String name, Table table, TableSchema schema, boolean delta) {
        this.name = name;
        this.table = table;
        this.schema = schema;
        this.delta = delta;
        List<Column> columns = schema.getColumns();
        types = new OdpsType[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            types[i] = columns.get(i).getTypeInfo().getOdpsType();
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

    int columnCount() {
        return types.length;
    }

    String columnName(int i) {
        return schema.getColumn(i).getName();
    }
}
