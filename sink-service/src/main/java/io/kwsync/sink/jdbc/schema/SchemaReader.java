package io.kwsync.sink.jdbc.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/** Reads a destination table's columns and primary key from JDBC metadata. */
public final class SchemaReader {

    private SchemaReader() {
    }

    /**
     * The table's schema, or null when it does not exist (or the user cannot see it). The name is tried as given, then
     * in lower case: PostgreSQL folds unquoted names to lower case, so a table created as {@code CREATE TABLE Orders}
     * is named {@code orders}.
     */
    public static TableSchema read(Connection c, TableName table, SchemaDialect dialect) throws SQLException {
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
        try (ResultSet rs = columnRows(md, scope, table)) {
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

    /**
     * The destination columns a copy from another table can fill: not auto-increment, not generated. Empty when the
     * table does not exist.
     */
    public static List<String> copyableColumns(Connection c, TableName table, SchemaDialect dialect) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = columnRows(c.getMetaData(), dialect.metadataScope(c, table), table.name())) {
            while (rs.next()) {
                if (!table.name().equals(rs.getString("TABLE_NAME"))) continue;
                if ("YES".equals(rs.getString("IS_AUTOINCREMENT")) || "YES".equals(rs.getString("IS_GENERATEDCOLUMN"))) continue;
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        return out;
    }

    private static ResultSet columnRows(DatabaseMetaData md, String[] scope, String table) throws SQLException {
        String esc = md.getSearchStringEscape();
        return md.getColumns(scope[0], scope[1] == null ? null : escape(scope[1], esc), escape(table, esc), null);
    }

    /** Metadata calls take LIKE patterns: '_' and '%' in a real name must not match other tables. */
    static String escape(String name, String esc) {
        if (esc == null || esc.isEmpty()) return name;
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }
}
