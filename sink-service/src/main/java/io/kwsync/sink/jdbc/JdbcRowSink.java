package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.jdbc.ProgressStore.SourcePartition;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes batches to a SQL database in one transaction each: the new rows, and the per-source-partition progress
 * that makes a replay of the same source records a no-op (exactly-once into the table).
 *
 * <p>JSON keys map to the table's real columns ({@link TableSchema}); unknown keys are ignored and counted. Rows go
 * in as multi-row INSERTs, one per group of rows with the same columns. When the database refuses a statement for
 * its data, the batch is redone row by row behind savepoints so that only the offending rows are rejected.
 */
public final class JdbcRowSink implements RowSink {

    private static final Logger LOG = Logger.getLogger(JdbcRowSink.class);
    private static final int MAX_ROWS_PER_STATEMENT = 1000;

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    private final ProgressStore progress;
    private final SchemaCache schemas = new SchemaCache();

    public JdbcRowSink(AgroalDataSource dataSource, SqlDialect dialect, String progressTable, String connector) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.progress = new ProgressStore(dialect, progressTable, connector);
    }

    /** Creates the progress table if needed. */
    public void prepare() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            progress.createTable(c);
        }
    }

    @Override
    public WriteResult write(List<RowEvent> rows, RejectHandler rejects) throws SinkException {
        if (rows.isEmpty()) return WriteResult.EMPTY;
        try {
            try {
                return transaction(rows, rejects, false);
            } catch (DataRefused e) {
                LOG.debugf("batch of %d rows refused (%s); retrying row by row", rows.size(), e.getCause().getMessage());
                return transaction(rows, rejects, true);
            }
        } catch (DataRefused e) {
            throw new SinkException("row-by-row write failed: " + e.getCause().getMessage(), false, e.getCause());
        } catch (SQLException e) {
            if (SqlErrors.isSchemaChange(e)) rows.forEach(r -> schemas.forget(r.destination().table()));
            throw new SinkException("write of " + rows.size() + " rows failed: " + e.getMessage(), !SqlErrors.isFatal(e), e);
        }
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

    private WriteResult transaction(List<RowEvent> rows, RejectHandler rejects, boolean rowByRow)
            throws SQLException, SinkException, DataRefused {
        try (Connection c = dataSource.getConnection()) {
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
                    SchemaCache.Entry schema = schemas.get(c, t.getKey());
                    RowPlan plan = RowPlan.of(t.getValue(), schema.lookup(), schema.schema());
                    unknownKeys += plan.unknownKeys();
                    rejected.addAll(plan.rejected());
                    for (RowPlan.Group g : plan.groups()) {
                        written += rowByRow ? insertEach(c, t.getKey(), g, rejected) : insertAll(c, t.getKey(), g);
                    }
                }
                if (!rejected.isEmpty()) rejects.reject(rejected);
                if (!advanced.isEmpty()) progress.update(c, advanced);
                c.commit();
                return new WriteResult(written, duplicates, rejected.size(), unknownKeys);
            } catch (SQLException | SinkException | DataRefused | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private int insertAll(Connection c, String table, RowPlan.Group g) throws SQLException, DataRefused {
        int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, dialect.maxParameters() / Math.max(1, g.columns().size())));
        List<Object[]> values = g.values();
        String fullSql = null;
        for (int from = 0; from < values.size(); from += perStatement) {
            int n = Math.min(perStatement, values.size() - from);
            String sql = n == perStatement && fullSql != null ? fullSql : insertSql(table, g.columns(), n);
            if (n == perStatement) fullSql = sql;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int p = 1;
                for (int r = from; r < from + n; r++) {
                    Object[] row = values.get(r);
                    for (int i = 0; i < row.length; i++) bind(ps, p++, row[i], g.columns().get(i));
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                if (SqlErrors.isDataError(e)) throw new DataRefused(e);
                throw e;
            }
        }
        return values.size();
    }

    private int insertEach(Connection c, String table, RowPlan.Group g, List<Rejected> rejected) throws SQLException {
        String sql = insertSql(table, g.columns(), 1);
        int written = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int r = 0; r < g.values().size(); r++) {
                Object[] row = g.values().get(r);
                for (int i = 0; i < row.length; i++) bind(ps, i + 1, row[i], g.columns().get(i));
                Savepoint sp = c.setSavepoint();
                try {
                    ps.executeUpdate();
                    written++;
                } catch (SQLException e) {
                    if (!SqlErrors.isDataError(e)) throw e;
                    c.rollback(sp);
                    rejected.add(new Rejected(g.rows().get(r), new DirtyRecordException(DirtyRecordException.Stage.WRITE,
                            "table " + table + " refused the row", e)));
                }
                c.releaseSavepoint(sp);
            }
        }
        return written;
    }

    String insertSql(String table, List<TableSchema.Column> columns, int rows) {
        StringBuilder sb = new StringBuilder(64 + rows * (columns.size() * 2 + 3)).append("INSERT INTO ")
                .append(dialect.quote(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) sb.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i).name()));
        sb.append(") VALUES ");
        String tuple = "(" + "?,".repeat(columns.size() - 1) + "?)";
        for (int r = 0; r < rows; r++) sb.append(r == 0 ? "" : ",").append(tuple);
        return sb.toString();
    }

    static void bind(PreparedStatement ps, int i, Object v, TableSchema.Column column) throws SQLException {
        if (v == null) ps.setNull(i, column.jdbcType());
        else if (v instanceof String s) ps.setString(i, s);
        else if (v instanceof Long l) ps.setLong(i, l);
        else if (v instanceof BigDecimal d) ps.setBigDecimal(i, d);
        else if (v instanceof Boolean b) ps.setBoolean(i, b);
        else if (v instanceof Double d) ps.setDouble(i, d);
        else if (v instanceof byte[] b) ps.setBytes(i, b);
        else if (v instanceof JsonText j) ps.setString(i, j.json());
        else throw new IllegalArgumentException("unsupported value type " + v.getClass());
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
