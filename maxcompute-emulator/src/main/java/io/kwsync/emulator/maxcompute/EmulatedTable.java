package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One table of the emulator: its schema, its partitions and the rows committed into each. Guarded by the emulator. */
final class EmulatedTable {

    final String project;
    final String name;
    /** Replaced whole when columns are added, so that whoever read it sees one consistent schema. */
    volatile TableSchema schema;
    final List<String> primaryKey;
    final boolean transactional;
    final long lifecycle;
    /** Partition spec ("a=1,b=2", "" when unpartitioned) -> committed rows in commit order. */
    final Map<String, List<Map<String, Object>>> partitions = new LinkedHashMap<>();
    /** Partition spec -> primary key -> its row, for upserts. */
    private final Map<String, Map<List<Object>, Map<String, Object>>> keyIndex = new HashMap<>();

    EmulatedTable(String project, String name, TableSchema schema, List<String> primaryKey, boolean transactional, long lifecycle) {
        this.project = project;
        this.name = name;
        this.schema = schema;
        this.primaryKey = List.copyOf(primaryKey);
        this.transactional = transactional;
        this.lifecycle = lifecycle;
        if (schema.getPartitionColumns().isEmpty()) partitions.put("", new ArrayList<>());
    }

    /** ALTER TABLE ... ADD COLUMNS: a new schema with {@code columns} after the data columns. */
    void addColumns(List<Column> columns) {
        TableSchema next = new TableSchema();
        schema.getColumns().forEach(next::addColumn);
        columns.forEach(next::addColumn);
        schema.getPartitionColumns().forEach(next::addPartitionColumn);
        schema = next;
    }

    boolean partitioned() {
        return !schema.getPartitionColumns().isEmpty();
    }

    /**
     * A partition spec in this table's spelling and order of its partition columns, which match without regard to case
     * as MaxCompute's names do ({@code pt='a'} names the partition {@code PT=a} of a table partitioned by PT); the spec
     * as given when its keys are not exactly the partition columns, for the caller to refuse.
     */
    String canonical(String spec) {
        String normalized = Warehouse.normalize(spec);
        if (normalized.isEmpty() || !partitioned()) return normalized;
        PartitionSpec given = new PartitionSpec(normalized);
        if (given.keys().size() != schema.getPartitionColumns().size()) return normalized;
        Map<String, String> byLower = new HashMap<>();
        for (String k : given.keys()) byLower.put(k.toLowerCase(Locale.ROOT), given.get(k));
        StringBuilder sb = new StringBuilder();
        for (Column c : schema.getPartitionColumns()) {
            String v = byLower.get(c.getName().toLowerCase(Locale.ROOT));
            if (v == null) return normalized;
            sb.append(sb.isEmpty() ? "" : ",").append(c.getName()).append('=').append(v);
        }
        return sb.toString();
    }

    /** The metadata JSON the REST API returns inside {@code <Schema>} (the SDK's Table.loadSchemaFromJson). */
    String metadataJson() {
        JsonObject o = new JsonObject();
        o.addProperty("tableName", name);
        o.addProperty("owner", "ALIYUN$kwsync-emulator");
        o.addProperty("createTime", 1_600_000_000L);
        o.addProperty("lastModifiedTime", 1_600_000_000L);
        o.addProperty("lastDDLTime", 1_600_000_000L);
        o.addProperty("lifecycle", lifecycle);
        o.add("columns", columnsJson(schema.getColumns()));
        o.add("partitionKeys", columnsJson(schema.getPartitionColumns()));
        JsonObject reserved = new JsonObject();
        reserved.addProperty("Transactional", Boolean.toString(transactional));
        if (!primaryKey.isEmpty()) {
            JsonArray pk = new JsonArray();
            primaryKey.forEach(pk::add);
            reserved.add("PrimaryKey", pk);
        }
        o.addProperty("Reserved", reserved.toString());
        return o.toString();
    }

    /** A CREATE TABLE statement that {@link EmulatorSql} reads back into this table's shape (without its rows). */
    String ddl() {
        List<String> parts = new ArrayList<>();
        for (Column c : schema.getColumns()) parts.add(columnDdl(c));
        if (!primaryKey.isEmpty()) parts.add("PRIMARY KEY (" + String.join(", ", primaryKey.stream().map(k -> "`" + k + "`").toList()) + ")");
        StringBuilder sb = new StringBuilder("CREATE TABLE `").append(project).append("`.`").append(name).append("` (")
                .append(String.join(", ", parts)).append(')');
        if (partitioned()) {
            sb.append(" PARTITIONED BY (").append(String.join(", ", schema.getPartitionColumns().stream().map(EmulatedTable::columnDdl).toList()))
                    .append(')');
        }
        if (transactional) sb.append(" TBLPROPERTIES ('transactional'='true')");
        if (lifecycle >= 0) sb.append(" LIFECYCLE ").append(lifecycle);
        return sb.toString();
    }

    private static String columnDdl(Column c) {
        return "`" + c.getName() + "` " + c.getTypeInfo().getTypeName() + (c.isNullable() ? "" : " NOT NULL");
    }

    /** The schema JSON of tunnel sessions (the SDK's TunnelTableSchema). */
    JsonObject tunnelSchema() {
        JsonObject o = new JsonObject();
        JsonArray cols = columnsJson(schema.getColumns());
        for (int i = 0; i < cols.size(); i++) cols.get(i).getAsJsonObject().addProperty("column_id", Integer.toString(i));
        o.add("columns", cols);
        o.add("partitionKeys", columnsJson(schema.getPartitionColumns()));
        return o;
    }

    private static JsonArray columnsJson(List<Column> columns) {
        JsonArray a = new JsonArray();
        for (Column c : columns) {
            JsonObject j = new JsonObject();
            j.addProperty("name", c.getName());
            j.addProperty("type", c.getTypeInfo().getTypeName().toLowerCase());
            j.addProperty("comment", c.getComment() == null ? "" : c.getComment());
            j.addProperty("nullable", Boolean.toString(c.isNullable()));
            a.add(j);
        }
        return a;
    }

    /** A decoded record as column name -> value: STRING as String, BINARY as byte[], other types as the SDK reads them. */
    Map<String, Object> toRow(Record r) {
        Map<String, Object> row = new LinkedHashMap<>();
        List<Column> cols = schema.getColumns();
        for (int i = 0; i < cols.size(); i++) {
            Object v;
            OdpsType t = cols.get(i).getTypeInfo().getOdpsType();
            if (r.isNull(i)) v = null;
            else if (t == OdpsType.STRING) v = r.getString(i);
            else if (t == OdpsType.BINARY) v = ((Binary) r.get(i)).data();
            else v = r.get(i);
            row.put(cols.get(i).getName(), v);
        }
        return row;
    }

    List<Object> keyOf(Map<String, Object> row) {
        List<Object> key = new ArrayList<>(primaryKey.size());
        for (String k : primaryKey) key.add(row.get(k));
        return key;
    }

    /**
     * Applies one upsert ('U') or delete ('D') to a partition of a primary-key table. The rows of each partition are
     * indexed by key (built on first use), so that a new key costs no scan of the partition.
     */
    void apply(String spec, Map<String, Object> row, char operation) {
        List<Map<String, Object>> rows = partitions.get(spec);
        Map<List<Object>, Map<String, Object>> index = keyIndex.computeIfAbsent(spec, s -> {
            Map<List<Object>, Map<String, Object>> m = new HashMap<>();
            for (Map<String, Object> r : rows) m.put(keyOf(r), r);
            return m;
        });
        List<Object> key = keyOf(row);
        Map<String, Object> existing = index.remove(key);
        if (existing != null) rows.removeIf(r -> r == existing);
        if (operation == 'U') {
            rows.add(row);
            index.put(key, row);
        }
    }

    /** Drops the key index of a partition whose rows changed other than through {@link #apply}. */
    void rowsReplaced(String spec) {
        keyIndex.remove(spec);
    }
}
