package io.kwsync.sink.jdbc;

import io.kwsync.sink.SinkException;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Table schemas read from JDBC metadata once and kept until {@link #forget} (after a schema-related failure). */
final class SchemaCache {

    record Entry(TableSchema schema, TableSchema.Lookup lookup) {
    }

    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    Entry get(Connection c, String table) throws SQLException, SinkException {
        Entry e = cache.get(table);
        if (e == null) {
            TableSchema schema = read(c, table);
            e = new Entry(schema, schema.lookup());
            cache.put(table, e);
        }
        return e;
    }

    void forget(String table) {
        cache.remove(table);
    }

    static TableSchema read(Connection c, String table) throws SQLException, SinkException {
        DatabaseMetaData md = c.getMetaData();
        List<TableSchema.Column> columns = new ArrayList<>();
        String pattern = escape(table, md.getSearchStringEscape());
        try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), pattern, null)) {
            while (rs.next()) {
                if (!table.equals(rs.getString("TABLE_NAME"))) continue; // metadata matching may ignore case
                String def = rs.getString("COLUMN_DEF");
                String autoInc = rs.getString("IS_AUTOINCREMENT");
                columns.add(new TableSchema.Column(columns.size(), rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
                        rs.getString("TYPE_NAME"), rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                        def != null || "YES".equals(autoInc)));
            }
        }
        if (columns.isEmpty()) {
            throw new SinkException("destination table '" + table + "' does not exist in database '"
                    + (c.getCatalog() != null ? c.getCatalog() : c.getSchema()) + "' (or the user cannot see it)", false, null);
        }
        return new TableSchema(table, columns);
    }

    /** Metadata calls take LIKE patterns: '_' and '%' in a real name must not match other tables. */
    static String escape(String name, String esc) {
        if (esc == null || esc.isEmpty()) return name;
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }
}
