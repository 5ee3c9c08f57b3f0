package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.config.SinkConfig.JdbcWriteMode;
import io.kwsync.sink.jdbc.ProgressStore.SourcePartition;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes batches to a SQL database in one transaction each: the new rows, and the per-source-partition progress
 * that makes a replay of the same source records a no-op (exactly-once into the table).
 *
 * <p>Before the transaction, each destination table's schema is looked up (and, when configured, the table
 * created or columns added). JSON keys map to the table's real columns ({@link TableSchema}); unknown keys are
 * ignored and counted; values are coerced to the column types in Java ({@link ColumnWriter}), so a value that does
 * not fit rejects only its row. Rows go in as multi-row INSERTs (or upserts), one per group of rows with the same
 * columns. When the database still refuses a statement for its data, the batch is redone row by row, in source
 * order, behind savepoints, so that only the offending rows are rejected.
 */
public final class JdbcRowSink implements RowSink {

    private static final Logger LOG = Logger.getLogger(JdbcRowSink.class);
    private static final int MAX_ROWS_PER_STATEMENT = 1000;
    /** Keeps a statement well below max_allowed_packet (16 MiB by default on MariaDB) whatever the row size. */
    private static final long MAX_CHARS_PER_STATEMENT = 4L << 20;

    /** What the sink is told by configuration. */
    public record Options(String connector, String progressTable, JdbcWriteMode writeMode, ZoneId timeZone,
                          boolean autoCreateTable, boolean autoAddColumns) {
    }

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    private final Options options;
    private final ProgressStore progress;
    private final SchemaCache schemas;
    private final SchemaChanges changes;

    public JdbcRowSink(AgroalDataSource dataSource, SqlDialect dialect, Options options, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.options = options;
        this.progress = new ProgressStore(dialect, options.progressTable(), options.connector());
        this.schemas = new SchemaCache(dialect, options.timeZone(), clock);
        this.changes = new SchemaChanges(dialect);
    }

    /** Creates the progress table if needed. */
    public void prepare() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            progress.createTable(c);
        }
    }

    /** Where the rows of one destination table go: its schema, or why none of them can be written. */
    private record Target(TableName name, SchemaCache.Entry entry, String rejectAll) {
    }

    @Override
    public WriteResult write(List<RowEvent> rows, RejectHandler rejects) throws SinkException {
        if (rows.isEmpty()) return WriteResult.EMPTY;
        Map<String, Target> targets = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, List<RowEvent>> t : byTable(rows).entrySet()) {
                targets.put(t.getKey(), target(c, t.getKey(), t.getValue()));
            }
            try {
                return transaction(c, rows, targets, rejects, false);
            } catch (DataRefused e) {
                LOG.debugf("batch of %d rows refused (%s); retrying row by row", rows.size(), e.getCause().getMessage());
                return transaction(c, rows, targets, rejects, true);
            }
        } catch (DataRefused e) {
            throw new SinkException("row-by-row write failed: " + e.getCause().getMessage(), false, e.getCause());
        } catch (SQLException e) {
            if (SqlErrors.isSchemaChange(e)) targets.values().forEach(t -> schemas.forget(t.name()));
            throw new SinkException("write of " + rows.size() + " rows failed: " + e.getMessage(), !SqlErrors.isFatal(e), e);
        }
    }

    private static Map<String, List<RowEvent>> byTable(List<RowEvent> rows) {
        Map<String, List<RowEvent>> byTable = new LinkedHashMap<>();
        for (RowEvent r : rows) byTable.computeIfAbsent(r.destination().table(), t -> new ArrayList<>()).add(r);
        return byTable;
    }

    private Target target(Connection c, String text, List<RowEvent> rows) throws SQLException, SinkException {
        TableName name = TableName.parse(text);
        String problem = tableNameProblem(name);
        if (problem != null) return new Target(name, null, "destination table name \"" + text + "\" " + problem);
        SchemaCache.Entry entry = schemas.get(c, name);
        if (entry == null) {
            if (!options.autoCreateTable()) {
                throw new SinkException("destination table '" + name + "' does not exist in database '"
                        + (c.getCatalog() != null ? c.getCatalog() : c.getSchema()) + "' (or the user cannot see it)", false, null);
            }
            if (!changes.createTable(c, name, rows)) {
                return new Target(name, null, "table " + name + " does not exist, and no message has a non-null value to create it from");
            }
            entry = reread(c, name);
        }
        if (options.autoAddColumns() ? changes.addColumns(c, entry, rows) : schemas.staleFor(entry, rows)) {
            entry = reread(c, name);
        }
        if (options.writeMode() == JdbcWriteMode.UPSERT && entry.schema().primaryKey().isEmpty()) {
            throw new SinkException("table " + entry.schema().table() + " has no primary key, which KWSYNC_JDBC_WRITE_MODE=upsert needs",
                    false, null);
        }
        return new Target(name, entry, null);
    }

    private SchemaCache.Entry reread(Connection c, TableName name) throws SQLException, SinkException {
        schemas.forget(name);
        SchemaCache.Entry entry = schemas.get(c, name);
        if (entry == null) throw new SinkException("table " + name + " cannot be seen after a schema change", true, null);
        return entry;
    }

    private String tableNameProblem(TableName name) {
        if (name.name().contains(".")) return "has more than one '.' (use schema.table)";
        String problem = name.schema() == null ? null : dialect.identifierProblem(name.schema());
        return problem != null ? problem : dialect.identifierProblem(name.name());
    }

    /** Signals a data error in set-based mode; carries the SQLException. */
    private static final class DataRefused extends Exception {
        DataRefused(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private WriteResult transaction(Connection c, List<RowEvent> rows, Map<String, Target> targets, RejectHandler rejects,
                                    boolean rowByRow) throws SQLException, DataRefused {
        c.setAutoCommit(false);
        try {
            Map<SourcePartition, Long> next = progress.lock(c, sourcePartitions(rows));
            Map<SourcePartition, Long> advanced = new LinkedHashMap<>();
            Map<String, List<RowEvent>> byTable = new LinkedHashMap<>();
            int duplicates = 0;
            for (RowEvent r : rows) {
                SourcePartition sp = new SourcePartition(r.origin().topic(), r.origin().partition());
                long expected = advanced.getOrDefault(sp, next.getOrDefault(sp, 0L));
                if (r.origin().offset() < expected) {
                    duplicates++;
                    continue;
                }
                advanced.put(sp, r.origin().offset() + 1);
                byTable.computeIfAbsent(r.destination().table(), t -> new ArrayList<>()).add(r);
            }
            List<Rejected> rejected = new ArrayList<>();
            int written = 0, unknownKeys = 0;
            for (Map.Entry<String, List<RowEvent>> t : byTable.entrySet()) {
                Target target = targets.get(t.getKey());
                if (target.rejectAll() != null) {
                    for (RowEvent r : t.getValue()) {
                        rejected.add(new Rejected(r, new DirtyRecordException(DirtyRecordException.Stage.WRITE, target.rejectAll())));
                    }
                    continue;
                }
                List<TableSchema.Column> key = upsertKey(target);
                RowPlan plan = RowPlan.of(t.getValue(), target.entry(), key);
                unknownKeys += plan.unknownKeys();
                rejected.addAll(plan.rejected());
                TableName table = target.entry().schema().table();
                if (rowByRow) {
                    written += insertEach(c, table, key, plan, rejected);
                } else {
                    for (RowPlan.Group g : plan.groups()) insertAll(c, table, key, g);
                    written += plan.rowCount();
                }
            }
            if (!rejected.isEmpty()) rejects.reject(rejected);
            if (!advanced.isEmpty()) progress.update(c, advanced);
            c.commit();
            return new WriteResult(written, duplicates, rejected.size(), unknownKeys);
        } catch (SQLException | DataRefused | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private List<TableSchema.Column> upsertKey(Target target) {
        return options.writeMode() == JdbcWriteMode.UPSERT ? target.entry().schema().primaryKey() : null;
    }

    private void insertAll(Connection c, TableName table, List<TableSchema.Column> key, RowPlan.Group g)
            throws SQLException, DataRefused {
        int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, dialect.maxParameters() / g.columns().size()));
        List<Object[]> values = g.values();
        String fullSql = null;
        for (int from = 0; from < values.size(); ) {
            int n = 0;
            long chars = 0;
            while (from + n < values.size() && n < perStatement && chars < MAX_CHARS_PER_STATEMENT) {
                chars += approximateChars(values.get(from + n));
                n++;
            }
            String sql;
            if (n < perStatement) {
                sql = dialect.insertSql(table, g.columns(), n, key);
            } else {
                if (fullSql == null) fullSql = dialect.insertSql(table, g.columns(), n, key);
                sql = fullSql;
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int p = 1;
                for (int r = from; r < from + n; r++) {
                    Object[] row = values.get(r);
                    for (int i = 0; i < row.length; i++) g.writers().get(i).bind(ps, p++, row[i]);
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                if (SqlErrors.isDataError(e)) throw new DataRefused(e);
                throw e;
            }
            from += n;
        }
    }

    private static long approximateChars(Object[] row) {
        long n = 0;
        for (Object v : row) {
            if (v instanceof String s) n += s.length() + 4;
            else if (v instanceof byte[] b) n += 2L * b.length + 4;
            else n += 8;
        }
        return n;
    }

    /** One row per statement, in source order, each behind a savepoint; the rows the database refuses are rejected. */
    private int insertEach(Connection c, TableName table, List<TableSchema.Column> key, RowPlan plan, List<Rejected> rejected)
            throws SQLException {
        Map<RowPlan.Group, PreparedStatement> statements = new IdentityHashMap<>();
        int written = 0;
        try {
            for (RowPlan.Planned p : plan.order()) {
                RowPlan.Group g = p.group();
                PreparedStatement ps = statements.get(g);
                if (ps == null) {
                    ps = c.prepareStatement(dialect.insertSql(table, g.columns(), 1, key));
                    statements.put(g, ps);
                }
                Object[] row = g.values().get(p.index());
                for (int i = 0; i < row.length; i++) g.writers().get(i).bind(ps, i + 1, row[i]);
                List<RowEvent> sources = g.sources().get(p.index());
                Savepoint sp = c.setSavepoint();
                try {
                    ps.executeUpdate();
                    written += sources.size();
                } catch (SQLException e) {
                    if (!SqlErrors.isDataError(e)) throw e;
                    c.rollback(sp);
                    for (RowEvent r : sources) {
                        rejected.add(new Rejected(r, new DirtyRecordException(DirtyRecordException.Stage.WRITE,
                                "table " + table + " refused the row", e)));
                    }
                }
                c.releaseSavepoint(sp);
            }
        } finally {
            for (PreparedStatement ps : statements.values()) ps.close();
        }
        return written;
    }

    private static List<SourcePartition> sourcePartitions(List<RowEvent> rows) {
        LinkedHashSet<SourcePartition> set = new LinkedHashSet<>();
        for (RowEvent r : rows) set.add(new SourcePartition(r.origin().topic(), r.origin().partition()));
        return new ArrayList<>(set);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback failed: %s", e.getMessage());
        }
    }

    @Override
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
