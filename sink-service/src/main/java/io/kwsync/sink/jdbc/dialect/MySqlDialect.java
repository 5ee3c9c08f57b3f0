package io.kwsync.sink.jdbc.dialect;

import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.exceptionsorter.MySQLExceptionSorter;
import io.kwsync.model.ColumnType;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MySQL protocol: AnalyticDB for MySQL, MySQL, MariaDB. A qualified table name {@code db.table} names another
 * database on the same server.
 */
public final class MySqlDialect implements SqlDialect {

    private static final int MAX_IDENTIFIER_CHARS = 64;
    private static final SqlErrors ERRORS = new MySqlErrors();

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String driverClass() {
        return "com.mysql.cj.jdbc.Driver";
    }

    @Override
    public BulkLoader bulkLoader() {
        return new MySqlBulkLoader(this);
    }

    /** A connection may negotiate LOAD DATA LOCAL for the bulk load, without letting a server read any local file. */
    @Override
    public Map<String, String> driverProperties() {
        return Map.of("allowLoadLocalInfileInPath", MySqlBulkLoader.NO_LOCAL_FILES);
    }

    @Override
    public ExceptionSorter exceptionSorter() {
        return new MySQLExceptionSorter();
    }

    @Override
    public SqlErrors errors() {
        return ERRORS;
    }

    @Override
    public ColumnKind kind(TableSchema.Column column) {
        return MySqlTypes.kind(column);
    }

    @Override
    public ColumnRules rules(TableSchema.Column column) {
        return MySqlTypes.rules(column, kind(column));
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String identifierProblem(String identifier) {
        String common = SqlDialect.super.identifierProblem(identifier);
        if (common != null) return common;
        if (identifier.codePointCount(0, identifier.length()) > MAX_IDENTIFIER_CHARS) {
            return "is longer than " + MAX_IDENTIFIER_CHARS + " characters";
        }
        if (identifier.endsWith(" ")) return "ends with a space";
        if (identifier.codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
            return "contains characters beyond U+FFFF";
        }
        return null;
    }

    /** MariaDB writes a JSON column as LONGTEXT with the column check {@code json_valid(`name`)}. */
    @Override
    public Set<String> jsonTextColumns(Connection c, String[] scope, String table) throws SQLException {
        if (!c.getMetaData().getDatabaseProductVersion().contains("MariaDB")) return Set.of();
        Set<String> json = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND LEVEL = 'Column'")) {
            ps.setString(1, scope[0]);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1);
                    if (("json_valid(" + quote(column) + ")").equals(rs.getString(2))) json.add(column);
                }
            }
        }
        return json;
    }

    /** Connector/J takes MariaDB for a 5.5 server (it reports 5.5.5-10.x) and would drop fractions of a second. */
    @Override
    public boolean bindsTemporalAsText() {
        return true;
    }

    @Override
    public boolean bindsTextUntyped() {
        return false;
    }

    @Override
    public String[] metadataScope(Connection c, TableName table) throws SQLException {
        return new String[]{table.schema() != null ? table.schema() : c.getCatalog(), null};
    }

    /** {@code ON DUPLICATE KEY UPDATE c = VALUES(c)}: applies to any unique key of the table, not just the primary. */
    @Override
    public void appendUpsert(StringBuilder sql, List<TableSchema.Column> columns, List<TableSchema.Column> key) {
        sql.append(" ON DUPLICATE KEY UPDATE ");
        boolean first = true;
        for (TableSchema.Column c : columns) {
            if (key.contains(c)) continue;
            String q = quote(c.name());
            sql.append(first ? "" : ", ").append(q).append(" = VALUES(").append(q).append(')');
            first = false;
        }
        if (first) { // only key columns: nothing to update, but a present row must not be an error
            String q = quote(key.get(0).name());
            sql.append(q).append(" = ").append(q);
        }
    }

    /**
     * MariaDB and MySQL have no condition on the whole update, so each column takes its new value only when the version
     * grows. Assignments run left to right and later ones see earlier results, so the version column comes last: every
     * condition before it still reads the present row's version.
     */
    @Override
    public void appendUpsert(StringBuilder sql, List<TableSchema.Column> columns, List<TableSchema.Column> key,
                             TableSchema.Column version) {
        String v = quote(version.name());
        String newer = "(" + v + " IS NULL OR " + v + " < VALUES(" + v + "))";
        sql.append(" ON DUPLICATE KEY UPDATE ");
        for (TableSchema.Column c : columns) {
            if (key.contains(c) || c.equals(version)) continue;
            String q = quote(c.name());
            sql.append(q).append(" = IF(").append(newer).append(", VALUES(").append(q).append("), ").append(q).append("), ");
        }
        sql.append(v).append(" = IF(").append(newer).append(", VALUES(").append(v).append("), ").append(v).append(')');
    }

    @Override
    public String insertIfAbsent(String quotedTable, String columnsAndValues) {
        return "INSERT IGNORE INTO " + quotedTable + " " + columnsAndValues;
    }

    @Override
    public String createTableLike(String copy, TableName original) {
        return "CREATE TABLE IF NOT EXISTS " + quote(copy) + " LIKE " + quote(original);
    }

    @Override
    public String longTextType() {
        return "MEDIUMTEXT";
    }

    @Override
    public String createProgressTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + quote(table) + " ("
                + "connector_name VARCHAR(64) NOT NULL, "
                + "source_topic VARCHAR(249) NOT NULL, "
                + "source_partition INT NOT NULL, "
                + "next_offset BIGINT NOT NULL, "
                + "updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                + "PRIMARY KEY (connector_name, source_topic, source_partition))";
    }

    @Override
    public int maxParameters() {
        return 65_535;
    }

    @Override
    public String columnType(ColumnType valueType) {
        return switch (valueType) {
            case NULL -> null;
            case BOOLEAN -> "BOOLEAN";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(38,10)";
            case STRING -> "TEXT";
            case BYTES -> "BLOB";
            case JSON -> "JSON";
        };
    }
}
