package io.kwsync.sink.maxcompute;

import com.aliyun.odps.type.TypeInfoParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The CREATE TABLE statements DataWorks' Kafka connectors document: the streaming connector's
 * {@code (topic, partition, offset, key, value)} table, and the "Generate Destination Table Schema" of the batch job:
 * named after the topic, the six built-in Kafka fields, optional columns parsed from JSON values, STRING partition key
 * columns, and a lifecycle of 100 years.
 */
public final class MaxComputeDdl {

    /** 100 years, the generated statement's default lifecycle. */
    public static final long DEFAULT_LIFECYCLE = 36_500;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

    /** A column of a generated table. */
    public record ColumnDef(String name, String type) {
    }

    /** The streaming connector's table (spec 002). */
    public static final List<ColumnDef> KEY_VALUE = List.of(new ColumnDef("topic", "STRING"),
            new ColumnDef("partition", "BIGINT"), new ColumnDef("offset", "BIGINT"), new ColumnDef("key", "STRING"),
            new ColumnDef("value", "STRING"));

    /** The six Kafka fields of the generated schema (spec 000/001): key, value, partition, headers, offset, timestamp. */
    public static final List<ColumnDef> BUILT_IN = List.of(new ColumnDef("__key__", "STRING"),
            new ColumnDef("__value__", "STRING"), new ColumnDef("__partition__", "BIGINT"),
            new ColumnDef("__headers__", "STRING"), new ColumnDef("__offset__", "BIGINT"),
            new ColumnDef("__timestamp__", "BIGINT"));

    private MaxComputeDdl() {
    }

    public static boolean isIdentifier(String s) {
        return s != null && IDENTIFIER.matcher(s).matches();
    }

    /**
     * A column from {@code name[:TYPE]}; the name may be a JSON field definition such as {@code a.a1}, {@code c[1]}
     * or {@code d[0].AA}, which becomes {@code a_a1}, {@code c_1}, {@code d_0_aa}. TYPE defaults to STRING.
     */
    public static ColumnDef column(String spec) {
        String p = columnProblem(spec);
        if (p != null) throw new IllegalArgumentException(p);
        int colon = spec.indexOf(':');
        String type = colon < 0 ? "STRING" : spec.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
        return new ColumnDef(columnName(colon < 0 ? spec.trim() : spec.substring(0, colon).trim()), type);
    }

    /** Null when {@link #column} accepts the text, otherwise what is wrong with it. */
    public static String columnProblem(String spec) {
        int colon = spec.indexOf(':');
        String name = columnName(colon < 0 ? spec.trim() : spec.substring(0, colon).trim());
        if (!isIdentifier(name)) return "'" + spec + "' does not name a column (letters, digits, '.', '[n]', '_')";
        if (colon >= 0) {
            String type = spec.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            try {
                TypeInfoParser.getTypeInfoFromTypeString(type);
            } catch (RuntimeException e) {
                return "'" + spec + "' has an unknown MaxCompute type '" + type + "'";
            }
        }
        return null;
    }

    /** {@code d[0].AA} -> {@code d_0_aa}. */
    static String columnName(String path) {
        String s = path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("_+", "_");
        s = s.replaceAll("^_|_$", "");
        return s;
    }

    /** The table a topic's generated statement creates: lower case, other characters as '_', a letter first. */
    public static String tableName(String topic) {
        String s = topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return s.isEmpty() || !Character.isLetter(s.charAt(0)) ? "t_" + s : s;
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS `project`.`table` (...) PARTITIONED BY (... STRING) LIFECYCLE n;}, the
     * project left out when null; a {@code table} of the form {@code schema.table} gives the three-level
     * {@code `project`.`schema`.`table`}, which MaxCompute reads only with {@code odps.namespace.schema=true}.
     */
    public static String createTable(String project, String table, List<ColumnDef> columns, List<String> partitionColumns,
                                     long lifecycle) {
        return createTable(project, table, columns, List.of(), partitionColumns, lifecycle);
    }

    /**
     * The statement with a primary key when {@code primaryKey} names columns: a transactional table (MaxCompute's
     * Delta table, which takes upserts: {@code TBLPROPERTIES ("transactional"="true")}), its key columns NOT NULL and
     * named in the table's spelling; {@link #keyProblem} must have accepted the key.
     */
    public static String createTable(String project, String table, List<ColumnDef> columns, List<String> primaryKey,
                                     List<String> partitionColumns, long lifecycle) {
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ");
        if (project != null) sb.append(quote(project)).append('.');
        for (String part : table.split("\\.")) sb.append(quote(part)).append('.'); // schema.table: each part quoted
        sb.setLength(sb.length() - 1);
        sb.append(" (\n");
        List<String> key = new ArrayList<>();
        for (String k : primaryKey) key.add(find(columns, k).name());
        List<String> lines = new ArrayList<>();
        for (ColumnDef c : columns) lines.add("  " + quote(c.name()) + " " + c.type() + (key.contains(c.name()) ? " NOT NULL" : ""));
        if (!key.isEmpty()) {
            List<String> quoted = new ArrayList<>();
            for (String k : key) quoted.add(quote(k));
            lines.add("  PRIMARY KEY (" + String.join(", ", quoted) + ")");
        }
        sb.append(String.join(",\n", lines)).append("\n)");
        if (!partitionColumns.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (String p : partitionColumns) parts.add(quote(p) + " STRING");
            sb.append("\nPARTITIONED BY (").append(String.join(", ", parts)).append(')');
        }
        if (!key.isEmpty()) sb.append("\nTBLPROPERTIES (\"transactional\"=\"true\")");
        return sb.append("\nLIFECYCLE ").append(lifecycle).append(';').toString();
    }

    /**
     * Null when the partition columns and the primary key fit the columns, else what is wrong. Names compare without
     * regard to case, as MaxCompute's do: a partition column may not repeat a column, a key column must be one, and
     * not a partition column, and may appear once.
     */
    public static String keyProblem(List<ColumnDef> columns, List<String> primaryKey, List<String> partitionColumns) {
        List<String> seen = new ArrayList<>();
        for (String p : partitionColumns) {
            if (find(columns, p) != null) return "'" + p + "' is both a column and a partition column";
            if (seen.contains(p.toLowerCase(Locale.ROOT))) return "partition column '" + p + "' appears twice";
            seen.add(p.toLowerCase(Locale.ROOT));
        }
        List<String> keys = new ArrayList<>();
        for (String k : primaryKey) {
            if (!isIdentifier(k)) return "'" + k + "' is not a column name";
            if (seen.contains(k.toLowerCase(Locale.ROOT))) return "'" + k + "' is a partition column; a primary key is made of columns";
            if (find(columns, k) == null) return "primary key column '" + k + "' is not a column of the table";
            if (keys.contains(k.toLowerCase(Locale.ROOT))) return "primary key column '" + k + "' appears twice";
            keys.add(k.toLowerCase(Locale.ROOT));
        }
        return null;
    }

    private static ColumnDef find(List<ColumnDef> columns, String name) {
        for (ColumnDef c : columns) if (c.name().equalsIgnoreCase(name)) return c;
        return null;
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
