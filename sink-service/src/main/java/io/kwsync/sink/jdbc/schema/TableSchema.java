package io.kwsync.sink.jdbc.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real columns of a destination table, read from the database, and its primary key (empty when it has none).
 * {@code table} is the name as the database spells it. JSON keys are matched to columns exactly first, then
 * ignoring case (MySQL column names are case-insensitive; JSON keys are not).
 */
public record TableSchema(TableName table, List<Column> columns, List<Column> primaryKey) {

    /**
     * One column. {@code size} is the JDBC COLUMN_SIZE (precision of numbers, length of text and binary types, 0
     * when unknown or unlimited) and {@code scale} the DECIMAL_DIGITS of numbers (-1 when unknown).
     */
    public record Column(int index, String name, int jdbcType, String typeName, int size, int scale, boolean nullable,
                         boolean hasDefault) {
    }

    public TableSchema {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public TableSchema(TableName table, List<Column> columns) {
        this(table, columns, List.of());
    }

    /** Lookup built once per schema. */
    public Lookup lookup() {
        return new Lookup(this);
    }

    public static final class Lookup {
        private final Map<String, Column> exact = new HashMap<>();
        private final Map<String, Column> folded = new HashMap<>();

        private Lookup(TableSchema schema) {
            for (Column c : schema.columns) {
                exact.put(c.name(), c);
                folded.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c);
            }
        }

        /** The column a JSON key writes to, or null when the table has none of that name. */
        public Column find(String key) {
            Column c = exact.get(key);
            return c != null ? c : folded.get(key.toLowerCase(Locale.ROOT));
        }
    }
}
