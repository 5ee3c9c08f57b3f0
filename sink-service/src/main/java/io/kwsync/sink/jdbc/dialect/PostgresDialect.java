package io.kwsync.sink.jdbc.dialect;

import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.kwsync.model.ColumnType;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL protocol: AnalyticDB for PostgreSQL, PostgreSQL. A qualified table name {@code schema.table} names a
 * schema of the connected database; an unqualified one is looked up in the current schema (the first of the
 * search_path that exists, usually public).
 */
public final class PostgresDialect implements SqlDialect {

    /** Longer names are silently truncated by the server, so the sink would write to a column of another name. */
    private static final int MAX_IDENTIFIER_BYTES = 63;
    private static final SqlErrors ERRORS = new PostgresErrors();
    /** 4713-01-01 BC, the driver's first day: it turns earlier days into -infinity. */
    private static final LocalDate FIRST_DAY = LocalDate.of(-4712, 1, 1);
    private static final LocalDate LAST_DATE = LocalDate.of(5_874_897, 12, 31);
    private static final LocalDate LAST_TIMESTAMP_DAY = LocalDate.of(294_276, 12, 31);

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String driverClass() {
        return "org.postgresql.Driver";
    }

    @Override
    public BulkLoader bulkLoader() {
        return new PostgresBulkLoader(this);
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String identifierProblem(String identifier) {
        String common = SqlDialect.super.identifierProblem(identifier);
        if (common != null) return common;
        if (identifier.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            return "is longer than " + MAX_IDENTIFIER_BYTES + " bytes";
        }
        return null;
    }

    @Override
    public ExceptionSorter exceptionSorter() {
        return new PostgreSQLExceptionSorter();
    }

    @Override
    public SqlErrors errors() {
        return ERRORS;
    }

    /**
     * Bit strings and times with a zone are written as text, for the server to parse; jsonb is JSON, and timestamptz
     * (which the driver reports as a plain TIMESTAMP) is an instant.
     */
    @Override
    public ColumnKind kind(TableSchema.Column column) {
        String type = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        if (type.equals("bit") || type.equals("varbit") || type.equals("timetz")) return ColumnKind.OTHER;
        if (type.equals("jsonb")) return ColumnKind.JSON;
        if (type.equals("timestamptz")) return ColumnKind.TIMESTAMP_TZ;
        return SqlDialect.super.kind(column);
    }

    /**
     * Dates and timestamps from 4713 BC (the driver sends anything earlier as -infinity, which the server stores
     * without complaint) to the server's last day: 5874897 AD for DATE, 294276 AD for timestamps.
     */
    @Override
    public ColumnRules rules(TableSchema.Column column) {
        ColumnKind kind = kind(column);
        ColumnRules rules = ColumnRules.standard(column, kind);
        return rules.withDates(FIRST_DAY, kind == ColumnKind.DATE ? LAST_DATE : LAST_TIMESTAMP_DAY);
    }

    /** jsonb, uuid, inet, enums and domains refuse a varchar parameter; an untyped one takes the column's type. */
    @Override
    public boolean bindsTextUntyped() {
        return true;
    }

    @Override
    public String[] metadataScope(Connection c, TableName table) throws SQLException {
        return new String[]{null, table.schema() != null ? table.schema() : c.getSchema()};
    }

    @Override
    public void appendUpsert(StringBuilder sql, List<TableSchema.Column> columns, List<TableSchema.Column> key) {
        sql.append(" ON CONFLICT (");
        for (int i = 0; i < key.size(); i++) sql.append(i == 0 ? "" : ", ").append(quote(key.get(i).name()));
        sql.append(") DO ");
        boolean first = true;
        for (TableSchema.Column c : columns) {
            if (key.contains(c)) continue;
            String q = quote(c.name());
            sql.append(first ? "UPDATE SET " : ", ").append(q).append(" = EXCLUDED.").append(q);
            first = false;
        }
        if (first) sql.append("NOTHING");
    }

    @Override
    public String versionedAlias() {
        return " AS " + VERSIONED_TARGET; // ON CONFLICT's WHERE names the present row by the table or its alias
    }

    @Override
    public void appendUpsert(StringBuilder sql, List<TableSchema.Column> columns, List<TableSchema.Column> key,
                             TableSchema.Column version) {
        appendUpsert(sql, columns, key); // the version column is not in the key, so this is DO UPDATE SET
        String v = quote(version.name());
        sql.append(" WHERE ").append(VERSIONED_TARGET).append('.').append(v).append(" IS NULL OR ").append(VERSIONED_TARGET)
                .append('.').append(v).append(" < EXCLUDED.").append(v);
    }

    @Override
    public String insertIfAbsent(String quotedTable, String columnsAndValues) {
        return "INSERT INTO " + quotedTable + " " + columnsAndValues + " ON CONFLICT DO NOTHING";
    }

    @Override
    public String createTableLike(String copy, TableName original) {
        return "CREATE TABLE IF NOT EXISTS " + quote(copy) + " (LIKE " + quote(original) + " INCLUDING ALL)";
    }

    @Override
    public String longTextType() {
        return "TEXT";
    }

    @Override
    public String createProgressTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + quote(table) + " ("
                + "connector_name VARCHAR(64) NOT NULL, "
                + "source_topic VARCHAR(249) NOT NULL, "
                + "source_partition INTEGER NOT NULL, "
                + "next_offset BIGINT NOT NULL, "
                + "updated_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                + "PRIMARY KEY (connector_name, source_topic, source_partition))";
    }

    /**
     * pgjdbc sends up to 65535 since 42.4; older drivers and older servers stop at 32767, and AnalyticDB for
     * PostgreSQL 6 is based on PostgreSQL 9.4. Statements stay far below either with 1000 rows of up to 32 columns.
     */
    @Override
    public int maxParameters() {
        return 32_767;
    }

    @Override
    public String columnType(ColumnType valueType) {
        return switch (valueType) {
            case NULL -> null;
            case BOOLEAN -> "BOOLEAN";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case DECIMAL -> "NUMERIC";
            case STRING -> "TEXT";
            case BYTES -> "BYTEA";
            case JSON -> "JSONB";
        };
    }
}
