package io.kwsync.sink.jdbc;

import io.kwsync.model.ColumnType;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.dialect.SqlErrors;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import io.kwsync.sink.jdbc.write.SchemaCache;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The optional DDL (both off by default): creating a missing destination table, and adding a column for a message
 * key the table lacks. Column types follow the JSON value first seen non-null for the key in the batch
 * ({@link SqlDialect#columnType}); keys whose values are all null, and keys that are not valid identifiers, create
 * nothing. DDL runs in autocommit mode before the data transaction (MySQL would commit that transaction anyway), and
 * tolerates another replica doing the same at the same time.
 *
 * <p>One message must not stop the sink or use up a table: a table is created from the columns the database takes
 * (when it refuses the whole CREATE TABLE, column by column), a table gets at most {@code maxColumns} columns this way
 * (KWSYNC_JDBC_AUTO_COLUMNS_MAX), and a key whose column could not be created is remembered with the reason, so that
 * rows carrying a value for it are refused ({@link #missingColumn}) instead of losing the value without notice.
 */
final class SchemaChanges {

    private static final Logger LOG = Logger.getLogger(SchemaChanges.class);
    private static final int MAX_REMEMBERED_REFUSALS = 10_000;

    private final SqlDialect dialect;
    private final SqlErrors errors;
    private final int maxColumns;
    /** Per table, keys whose column the database refused or the column budget left out, with why. */
    private final Map<TableName, Map<String, String>> refused = new ConcurrentHashMap<>();
    private final AtomicInteger remembered = new AtomicInteger();

    SchemaChanges(SqlDialect dialect, int maxColumns) {
        this.dialect = dialect;
        this.errors = dialect.errors();
        this.maxColumns = maxColumns;
    }

    /**
     * Creates the table from the rows' keys. @return null once the table exists, else why none of the rows can be
     * written (no key has a non-null value to type a column by, or the database refused every column)
     * @throws SinkException waiting, when the database refuses the user to create tables at all
     */
    String createTable(Connection c, TableName table, List<RowEvent> rows) throws SinkException, SQLException {
        Map<String, String> columns = inferColumns(rows, null);
        if (columns.isEmpty()) return "table " + table + " does not exist, and no message has a non-null value to create it from";
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> col : columns.entrySet()) {
            if (kept.size() < maxColumns) kept.put(col.getKey(), col.getValue());
            else refuse(table, col.getKey(), overBudget(table));
        }
        try {
            execute(c, dialect.createTable(table, kept));
            LOG.infof("created table %s with columns %s", table, kept);
            return null;
        } catch (SQLException e) {
            if (errors.isTransient(e)) throw e;
            if (errors.isFatal(e)) throw cannotCreate(table, e);
            LOG.warnf("cannot create table %s with its %d columns (%s); creating it from the columns the database takes",
                    table, kept.size(), e.getMessage());
        }
        return createColumnByColumn(c, table, kept);
    }

    /** The table from its first column the database takes, then the others added one by one; refusals remembered. */
    private String createColumnByColumn(Connection c, TableName table, Map<String, String> columns) throws SQLException, SinkException {
        boolean created = false;
        String lastRefusal = null;
        for (Map.Entry<String, String> col : columns.entrySet()) {
            try {
                execute(c, created ? dialect.addColumn(table, col.getKey(), col.getValue())
                        : dialect.createTable(table, Map.of(col.getKey(), col.getValue())));
                created = true;
            } catch (SQLException e) {
                if (errors.isTransient(e)) throw e;
                if (!created && errors.isFatal(e)) throw cannotCreate(table, e);
                if (created && errors.isDuplicateColumn(e)) continue;
                lastRefusal = e.getMessage();
                refuse(table, col.getKey(), "the database refused to add it: " + e.getMessage());
            }
        }
        if (!created) return "table " + table + " does not exist, and the database refused to create it: " + lastRefusal;
        LOG.infof("created table %s with the columns the database took; %d keys have no column", table,
                refused.getOrDefault(table, Map.of()).size());
        return null;
    }

    private static SinkException cannotCreate(TableName table, SQLException e) {
        return SinkException.waiting("destination table " + table + " does not exist and cannot be created"
                + " (KWSYNC_JDBC_AUTO_CREATE_TABLE): " + e.getMessage() + ". Create the table, or let the user create"
                + " tables; the sink goes on by itself once it exists", e);
    }

    /** Adds the columns for keys the table lacks, within the column budget; true when the schema changed (or may have). */
    boolean addColumns(Connection c, SchemaCache.Entry entry, List<RowEvent> rows) throws SQLException {
        TableName table = entry.schema().table();
        Map<String, String> missing = inferColumns(rows, entry.lookup());
        Map<String, String> known = refused.getOrDefault(table, Map.of());
        int room = maxColumns - entry.schema().columns().size();
        boolean changed = false;
        for (Map.Entry<String, String> col : missing.entrySet()) {
            if (known.containsKey(col.getKey())) continue;
            if (room <= 0) {
                refuse(table, col.getKey(), overBudget(table));
                continue;
            }
            try {
                execute(c, dialect.addColumn(table, col.getKey(), col.getValue()));
                LOG.infof("added column %s %s to table %s", col.getKey(), col.getValue(), table);
            } catch (SQLException e) {
                if (errors.isTransient(e)) throw e;
                if (!errors.isDuplicateColumn(e)) {
                    LOG.warnf("cannot add column %s to table %s; rows with a value for it go to the error topic: %s",
                            col.getKey(), table, e.getMessage());
                    refuse(table, col.getKey(), "the database refused to add it: " + e.getMessage());
                    continue;
                }
            }
            room--;
            changed = true;
        }
        return changed;
    }

    /**
     * Why a row with a value for {@code key}, which has no column in the table, must be refused; null when the key is
     * just ignored (no DDL asked for, or none tried: a null value, a key that cannot be an identifier).
     *
     * @param adding whether columns are added for new keys (KWSYNC_JDBC_AUTO_ADD_COLUMNS)
     */
    String missingColumn(SchemaCache.Entry entry, String key, boolean adding) {
        TableName table = entry.schema().table();
        String why = refused.getOrDefault(table, Map.of()).get(key);
        if (why == null && adding && entry.schema().columns().size() >= maxColumns && dialect.identifierProblem(key) == null) {
            why = overBudget(table); // not remembered (too many refusals): the budget still tells
        }
        return why == null ? null : "key " + key + " has no column: " + why;
    }

    private String overBudget(TableName table) {
        return "table " + table + " has the " + maxColumns + " columns KWSYNC_JDBC_AUTO_COLUMNS_MAX lets the sink create";
    }

    private void refuse(TableName table, String key, String why) {
        if (remembered.get() >= MAX_REMEMBERED_REFUSALS) return;
        if (refused.computeIfAbsent(table, t -> new ConcurrentHashMap<>()).putIfAbsent(key, why) == null) {
            remembered.incrementAndGet();
        }
    }

    /**
     * Column name to type for the keys of the rows that are not in {@code known} (all keys when null), typed by their
     * first non-null value, in the order first seen.
     */
    Map<String, String> inferColumns(List<RowEvent> rows, TableSchema.Lookup known) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (RowEvent row : rows) {
            for (Map.Entry<String, Object> e : row.columns().entrySet()) {
                String key = e.getKey();
                if (e.getValue() == null || columns.containsKey(key) || known != null && known.find(key) != null) continue;
                if (dialect.identifierProblem(key) != null) continue;
                columns.put(key, dialect.columnType(ColumnType.of(e.getValue())));
            }
        }
        return columns;
    }

    private static void execute(Connection c, String ddl) throws SQLException {
        if (!c.getAutoCommit()) c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute(ddl);
        }
    }
}
