package io.kwsync.sink.jdbc;

import io.kwsync.model.RowEvent;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Table schemas read from JDBC metadata once, with a {@link ColumnWriter} per column, kept until {@link #forget}:
 * after a write failed on the schema, after the sink changed the table, or when messages carry keys the table lacks
 * and the schema is older than {@link #UNKNOWN_KEYS_REFRESH_MILLIS} ({@link #staleFor}), so that a column an
 * operator adds is written within a minute.
 */
final class SchemaCache {

    static final long UNKNOWN_KEYS_REFRESH_MILLIS = 60_000;

    /** A table's schema, how to find a key's column, and how to write each column (by column index). */
    record Entry(TableSchema schema, TableSchema.Lookup lookup, ColumnWriter[] writers, long readAtMillis) {
    }

    private final ConcurrentHashMap<TableName, Entry> cache = new ConcurrentHashMap<>();
    private final SqlDialect dialect;
    private final ZoneId zone;
    private final Clock clock;

    SchemaCache(SqlDialect dialect, ZoneId zone, Clock clock) {
        this.dialect = dialect;
        this.zone = zone;
        this.clock = clock;
    }

    /** The cached or freshly read schema, or null when the table does not exist (or the user cannot see it). */
    Entry get(Connection c, TableName table) throws SQLException {
        Entry e = cache.get(table);
        if (e == null) {
            e = readEntry(c, table);
            if (e == null) return null;
            cache.put(table, e);
        }
        return e;
    }

    /** The schema as it is now, with its column writers, without caching it (for short-lived tables). */
    Entry readEntry(Connection c, TableName table) throws SQLException {
        TableSchema schema = read(c, table, dialect);
        if (schema == null) return null;
        ColumnWriter[] writers = new ColumnWriter[schema.columns().size()];
        for (TableSchema.Column col : schema.columns()) {
            writers[col.index()] = new ColumnWriter(col, dialect.kind(col), dialect.bindsTextUntyped(),
                    dialect.bindsTemporalAsText(), zone);
        }
        return new Entry(schema, schema.lookup(), writers, clock.millis());
    }

    void forget(TableName table) {
        cache.remove(table);
    }

    /**
     * Whether to read the schema again before writing these rows: it was read long enough ago and a row has a key it
     * does not know (a column an operator added since). Scans the keys only when the schema is old, so at most once
     * per {@link #UNKNOWN_KEYS_REFRESH_MILLIS} per table while such keys keep coming.
     */
    boolean staleFor(Entry e, List<RowEvent> rows) {
        if (clock.millis() - e.readAtMillis() < UNKNOWN_KEYS_REFRESH_MILLIS) return false;
        for (RowEvent r : rows) {
            for (String key : r.columns().keySet()) {
                if (e.lookup().find(key) == null) return true;
            }
        }
        return false;
    }

    /**
     * Reads the columns and primary key. The name is tried as given, then in lower case: PostgreSQL folds unquoted
     * names to lower case, so a table created as {@code CREATE TABLE Orders} is named {@code orders}.
     */
    static TableSchema read(Connection c, TableName table, SqlDialect dialect) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String[] scope = dialect.metadataScope(c, table);
        List<TableSchema.Column> columns = columns(md, scope, table.name());
        String realName = table.name();
        String lower = table.name().toLowerCase(Locale.ROOT);
        if (columns.isEmpty() && !lower.equals(table.name())) {
            columns = columns(md, scope, lower);
            realName = lower;
        }
        if (columns.isEmpty()) return null;
        Set<String> json = dialect.jsonTextColumns(c, scope, realName);
        if (!json.isEmpty()) {
            columns.replaceAll(col -> json.contains(col.name()) ? new TableSchema.Column(col.index(), col.name(), col.jdbcType(),
                    "JSON", col.size(), col.scale(), col.nullable(), col.hasDefault()) : col);
        }
        TreeMap<Integer, TableSchema.Column> key = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(scope[0], scope[1], realName)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                int seq = rs.getInt("KEY_SEQ");
                for (TableSchema.Column col : columns) {
                    if (col.name().equals(name)) key.put(seq, col);
                }
            }
        }
        return new TableSchema(table.withName(realName), columns, new ArrayList<>(key.values()));
    }

    private static List<TableSchema.Column> columns(DatabaseMetaData md, String[] scope, String table) throws SQLException {
        List<TableSchema.Column> columns = new ArrayList<>();
        String esc = md.getSearchStringEscape();
        try (ResultSet rs = md.getColumns(scope[0], scope[1] == null ? null : escape(scope[1], esc), escape(table, esc), null)) {
            while (rs.next()) {
                if (!table.equals(rs.getString("TABLE_NAME"))) continue; // metadata matching may ignore case
                String def = rs.getString("COLUMN_DEF");
                String autoInc = rs.getString("IS_AUTOINCREMENT");
                int scale = rs.getInt("DECIMAL_DIGITS");
                if (rs.wasNull()) scale = -1;
                columns.add(new TableSchema.Column(columns.size(), rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
                        rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), scale,
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, def != null || "YES".equals(autoInc)));
            }
        }
        return columns;
    }

    /** Metadata calls take LIKE patterns: '_' and '%' in a real name must not match other tables. */
    static String escape(String name, String esc) {
        if (esc == null || esc.isEmpty()) return name;
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }
}
