package io.kwsync.sink.jdbc.dialect;

import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.kwsync.model.ColumnType;
import io.kwsync.sink.jdbc.schema.SchemaDialect;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.util.List;
import java.util.Map;

/**
 * What differs between the SQL databases the JDBC sink writes to: SQL text, identifiers, column types and their
 * limits, the bulk-load path, error codes and driver settings. Chosen from the JDBC URL by {@link #forUrl}; nothing
 * outside this package asks which database it is. Identifiers reach SQL text only through {@link #quote} (after
 * {@link #identifierProblem} where they come from a message); values only as bind parameters.
 */
public interface SqlDialect extends SchemaDialect {

    /** The URL prefixes of the dialects there are, in the order {@link #forUrl} tries them. */
    List<String> URL_PREFIXES = List.of("jdbc:mysql:", "jdbc:postgresql:");

    String name();

    /** The JDBC driver class, named explicitly so native images need no driver discovery. */
    String driverClass();

    /** Quotes one identifier, doubling any quote character inside it. */
    String quote(String identifier);

    /** Quotes a possibly schema-qualified table name, each part on its own. */
    default String quote(TableName table) {
        return table.schema() == null ? quote(table.name()) : quote(table.schema()) + "." + quote(table.name());
    }

    /**
     * Why this text cannot be a table or column name here (too long, control characters...), or null when it can.
     * Anything else, quotes and semicolons included, is safe once quoted.
     */
    default String identifierProblem(String identifier) {
        if (identifier.isEmpty()) return "is empty";
        if (identifier.isBlank()) return "is blank";
        for (int i = 0; i < identifier.length(); i++) {
            char ch = identifier.charAt(i);
            if (ch < 0x20 || ch == 0x7F) return "contains a control character";
        }
        return null;
    }

    /** Why a table name (either part) cannot be used, or null. */
    default String tableNameProblem(TableName name) {
        if (name.name().contains(".")) return "has more than one '.' (use schema.table)";
        String problem = name.schema() == null ? null : identifierProblem(name.schema());
        return problem != null ? problem : identifierProblem(name.name());
    }

    /** How the sink coerces values for this column. */
    default ColumnKind kind(TableSchema.Column column) {
        return ColumnKind.of(column);
    }

    /** What this column takes: its kind and the limits the database enforces on it. */
    default ColumnRules rules(TableSchema.Column column) {
        return ColumnRules.standard(column, kind(column));
    }

    /** Whether text, JSON and unknown types are bound untyped, for the database to parse as the column's type. */
    boolean bindsTextUntyped();

    /** Whether dates and times are bound as ISO text rather than as java.time objects. */
    default boolean bindsTemporalAsText() {
        return false;
    }

    /** A multi-row INSERT of {@code rows} rows; with {@code upsertKey}, one that updates the row with that key. */
    default String insertSql(TableName table, List<TableSchema.Column> columns, int rows, List<TableSchema.Column> upsertKey) {
        return insertSql(table, columns, rows, upsertKey, null);
    }

    /** The same, updating a present row only when {@code version} (non-null only with {@code upsertKey}) grows. */
    default String insertSql(TableName table, List<TableSchema.Column> columns, int rows, List<TableSchema.Column> upsertKey,
                             TableSchema.Column version) {
        StringBuilder sb = new StringBuilder(64 + rows * (columns.size() * 2 + 3)).append("INSERT INTO ")
                .append(quote(table)).append(version == null ? "" : versionedAlias()).append(' ')
                .append(columnList(columns)).append(" VALUES ");
        String tuple = "(" + "?,".repeat(columns.size() - 1) + "?)";
        for (int r = 0; r < rows; r++) sb.append(r == 0 ? "" : ",").append(tuple);
        if (upsertKey != null && version == null) appendUpsert(sb, columns, upsertKey);
        else if (upsertKey != null) appendUpsert(sb, columns, upsertKey, version);
        return sb.toString();
    }

    /** The alias of the table in a version-aware upsert, by which its condition names the row already there. */
    String VERSIONED_TARGET = "kwsync_present";

    /** What follows the table name of a version-aware upsert: its alias where the dialect's condition needs one. */
    default String versionedAlias() {
        return "";
    }

    /** The quoted column names in parentheses: {@code ("a", "b")}. */
    default String columnList(List<TableSchema.Column> columns) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) sb.append(i == 0 ? "" : ", ").append(quote(columns.get(i).name()));
        return sb.append(')').toString();
    }

    /** The clause that turns the INSERT into an insert-or-update on {@code key}. */
    void appendUpsert(StringBuilder sql, List<TableSchema.Column> columns, List<TableSchema.Column> key);

    /**
     * The same clause for a version-aware upsert: a present row is updated only when its {@code version} is NULL or
     * lower than the new row's (which has one: rows without a version are refused before). {@code columns} holds
     * {@code version}; the table is aliased {@link #VERSIONED_TARGET} where the dialect needs it.
     */
    void appendUpsert(StringBuilder sql, List<TableSchema.Column> columns, List<TableSchema.Column> key, TableSchema.Column version);

    /** {@code INSERT INTO table columnsAndValues} that skips rows whose key is present instead of failing. */
    String insertIfAbsent(String quotedTable, String columnsAndValues);

    /** Adds the given number of progress rows (connector, topic, partition) with next_offset 0 unless present. */
    default String insertMissingProgress(String table, int rows) {
        StringBuilder sb = new StringBuilder("(connector_name, source_topic, source_partition, next_offset) VALUES ");
        for (int i = 0; i < rows; i++) sb.append(i == 0 ? "" : ",").append("(?,?,?,0)");
        return insertIfAbsent(quote(table), sb.toString());
    }

    /** Reads and locks the progress rows of the given number of (topic, partition) pairs of one connector. */
    default String lockProgress(String table, int pairs) {
        StringBuilder sb = new StringBuilder("SELECT source_topic, source_partition, next_offset FROM ")
                .append(quote(table)).append(" WHERE connector_name = ? AND (");
        for (int i = 0; i < pairs; i++) sb.append(i == 0 ? "" : " OR ").append("(source_topic = ? AND source_partition = ?)");
        return sb.append(") FOR UPDATE").toString();
    }

    default String updateProgress(String table) {
        return "UPDATE " + quote(table) + " SET next_offset = ?, updated_at = CURRENT_TIMESTAMP"
                + " WHERE connector_name = ? AND source_topic = ? AND source_partition = ?";
    }

    String createProgressTable(String table);

    /** The database's bulk-load path for plain inserts, or null when the sink only has statements for it. */
    default BulkLoader bulkLoader() {
        return null;
    }

    /** Most bind parameters one statement may carry. */
    int maxParameters();

    /** The column type created for values of this kind (auto-creation); null for NULL, which says nothing. */
    String columnType(ColumnType valueType);

    /** CREATE TABLE IF NOT EXISTS with these columns (name to type, in order), all nullable, no key. */
    default String createTable(TableName table, Map<String, String> columns) {
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(quote(table)).append(" (");
        columns.forEach((name, type) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(quote(name))
                .append(' ').append(type));
        return sb.append(')').toString();
    }

    default String addColumn(TableName table, String column, String type) {
        return "ALTER TABLE " + quote(table) + " ADD COLUMN " + quote(column) + " " + type;
    }

    /** An empty table of the same definition (columns, defaults, keys) as {@code original}, unless it exists. */
    String createTableLike(String copy, TableName original);

    /** The column type of text that may exceed 64 KiB (bookkeeping of the sink's own tables). */
    String longTextType();

    /** How this database's errors read. */
    SqlErrors errors();

    /** Tells the connection pool which failures leave a connection unusable, so that it is closed and not reused. */
    ExceptionSorter exceptionSorter();

    /** Driver properties every connection is opened with. */
    default Map<String, String> driverProperties() {
        return Map.of();
    }

    static SqlDialect forUrl(String url) {
        if (url.startsWith("jdbc:mysql:")) return new MySqlDialect();
        if (url.startsWith("jdbc:postgresql:")) return new PostgresDialect();
        throw new IllegalArgumentException("no SQL dialect for JDBC URL scheme of " + url.replaceAll("[?;].*", ""));
    }
}
