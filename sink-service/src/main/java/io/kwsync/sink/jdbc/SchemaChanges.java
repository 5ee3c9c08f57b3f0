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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The optional DDL (both off by default): creating a missing destination table, and adding a column for a message
 * key the table lacks. Column types follow the JSON value first seen non-null for the key in the batch
 * ({@link SqlDialect#columnType}); keys whose values are all null, and keys that are not valid identifiers, create
 * nothing. DDL runs in autocommit mode before the data transaction (MySQL would commit that transaction anyway), and
 * tolerates another replica doing the same at the same time.
 */
final class SchemaChanges {

    private static final Logger LOG = Logger.getLogger(SchemaChanges.class);
    private static final int MAX_REMEMBERED_REFUSALS = 10_000;

    private final SqlDialect dialect;
    private final SqlErrors errors;
    /** Columns the database refused to add (too many columns, a reserved name...): not tried again and again. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    SchemaChanges(SqlDialect dialect) {
        this.dialect = dialect;
        this.errors = dialect.errors();
    }

    /** Creates the table from the rows' keys; false when no key has a non-null value to type a column by. */
    boolean createTable(Connection c, TableName table, List<RowEvent> rows) throws SinkException, SQLException {
        Map<String, String> columns = inferColumns(rows, null);
        if (columns.isEmpty()) return false;
        String ddl = dialect.createTable(table, columns);
        try {
            execute(c, ddl);
        } catch (SQLException e) {
            if (errors.isTransient(e)) throw e;
            throw new SinkException("cannot create table " + table + " (KWSYNC_JDBC_AUTO_CREATE_TABLE): " + e.getMessage(),
                    false, e);
        }
        LOG.infof("created table %s with columns %s", table, columns);
        return true;
    }

    /** Adds the columns for keys the table lacks; true when the schema changed (or may have). */
    boolean addColumns(Connection c, SchemaCache.Entry entry, List<RowEvent> rows) throws SQLException {
        TableName table = entry.schema().table();
        Map<String, String> missing = inferColumns(rows, entry.lookup());
        boolean changed = false;
        for (Map.Entry<String, String> col : missing.entrySet()) {
            String id = table + "\u0000" + col.getKey();
            if (refused.contains(id)) continue;
            try {
                execute(c, dialect.addColumn(table, col.getKey(), col.getValue()));
                LOG.infof("added column %s %s to table %s", col.getKey(), col.getValue(), table);
            } catch (SQLException e) {
                if (errors.isTransient(e)) throw e;
                if (!errors.isDuplicateColumn(e)) {
                    LOG.warnf("cannot add column %s to table %s; its key stays ignored: %s", col.getKey(), table, e.getMessage());
                    if (refused.size() < MAX_REMEMBERED_REFUSALS) refused.add(id);
                    continue;
                }
            }
            changed = true;
        }
        return changed;
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
