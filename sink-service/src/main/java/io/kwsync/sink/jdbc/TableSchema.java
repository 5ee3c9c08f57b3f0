package io.kwsync.sink.jdbc;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real columns of a destination table, read from the database. JSON keys are matched to columns exactly first,
 * then ignoring case (MySQL column names are case-insensitive; JSON keys are not).
 */
public record TableSchema(String table, List<Column> columns) {

    public record Column(int index, String name, int jdbcType, String typeName, boolean nullable, boolean hasDefault) {
    }

    public TableSchema {
        columns = List.copyOf(columns);
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
