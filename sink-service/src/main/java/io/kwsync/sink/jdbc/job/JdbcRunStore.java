package io.kwsync.sink.jdbc.job;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.schema.SchemaReader;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.job.RunState;
import io.kwsync.sink.job.RunState.RowsPartition;
import io.kwsync.sink.job.RunStateStore;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Window-job bookkeeping in the destination database, in two tables: {@code kwsync_job_runs} (one row per run: its
 * table, its shape once known (with whether it may empty partitions and whether its rows are routed), the tables its
 * rows named, its state and, once decided, its result) and {@code kwsync_job_parts} (per run and rows
 * partition: the next rows-topic offset to accept, rows staged and refused, rows announced by the END marker).
 *
 * <p>Every unit of work ({@link JdbcRun}) is a transaction that first locks the run's row, so sink replicas that read
 * different rows partitions of the same run take turns; the staging writes in the same transaction, so staged rows and
 * the offsets that account for them commit together.
 */
public final class JdbcRunStore implements RunStateStore<JdbcRun> {

    static final String RUNS = "kwsync_job_runs";
    static final String PARTS = "kwsync_job_parts";
    private static final String STAGING = "STAGING";
    private static final String ALLOW_EMPTY = "allow_empty";
    private static final String ALLOW_EMPTY_TYPE = "SMALLINT DEFAULT 0 NOT NULL";
    private static final String ROUTED = "routed";
    private static final String TABLES = "tables_json";

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    private final String connector;
    private volatile boolean prepared;

    /** @param dataSource closed with the store */
    public JdbcRunStore(AgroalDataSource dataSource, SqlDialect dialect, String connector) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.connector = connector;
    }

    /** Creates the bookkeeping tables the first time. */
    @Override
    public void refresh() throws SQLException {
        if (prepared) return;
        String text = dialect.longTextType();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("CREATE TABLE IF NOT EXISTS " + dialect.quote(RUNS) + " ("
                    + "run_id VARCHAR(64) NOT NULL PRIMARY KEY, connector_name VARCHAR(64) NOT NULL, "
                    + "dest_table VARCHAR(256) NOT NULL, replaces " + text + ", rows_partitions INT NOT NULL, "
                    + "state VARCHAR(16) NOT NULL, result " + text + ", "
                    + "updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, " + ALLOW_EMPTY + " " + ALLOW_EMPTY_TYPE
                    + ", " + ROUTED + " " + ALLOW_EMPTY_TYPE + ", " + TABLES + " " + text + ")");
            addColumn(c, st, ALLOW_EMPTY, ALLOW_EMPTY_TYPE);
            addColumn(c, st, ROUTED, ALLOW_EMPTY_TYPE);
            addColumn(c, st, TABLES, text);
            st.execute("CREATE TABLE IF NOT EXISTS " + dialect.quote(PARTS) + " ("
                    + "run_id VARCHAR(64) NOT NULL, rows_partition INT NOT NULL, next_offset BIGINT NOT NULL, "
                    + "staged BIGINT NOT NULL, rejected BIGINT NOT NULL, marker_rows BIGINT, "
                    + "PRIMARY KEY (run_id, rows_partition))");
        }
        prepared = true;
    }

    /**
     * A runs table created before runs carried allowEmpty (or routing) lacks the column: added with 0 (or null), so
     * the runs recorded in it read as not allowed to empty a partition and not routed. Another replica may add it at
     * the same moment; only a column still missing afterwards is an error.
     */
    private void addColumn(Connection c, Statement st, String column, String type) throws SQLException {
        TableName runs = new TableName(null, RUNS);
        if (SchemaReader.copyableColumns(c, runs, dialect).stream().anyMatch(column::equalsIgnoreCase)) return;
        try {
            st.execute("ALTER TABLE " + dialect.quote(RUNS) + " ADD " + column + " " + type);
        } catch (SQLException e) {
            if (SchemaReader.copyableColumns(c, runs, dialect).stream().noneMatch(column::equalsIgnoreCase)) throw e;
        }
    }

    /** Adds the run's row if it is new (outside the transaction, so other replicas see it), then locks and reads it. */
    @Override
    public JdbcRun begin(String runId, String table) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            insertRunIfMissing(c, runId, table == null ? "" : table);
            c.setAutoCommit(false);
            Set<Integer> stored = new HashSet<>();
            RunState state = lock(c, runId, stored);
            return new JdbcRun(this, c, runId, state, stored);
        } catch (SQLException | RuntimeException e) {
            try (c) {
                if (!c.getAutoCommit()) c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public SinkException failure(Exception e) {
        if (e instanceof SQLException s) {
            return new SinkException("job load failed: " + s.getMessage(), !dialect.errors().isFatal(s), s);
        }
        return new SinkException("job load failed: " + e, true, e);
    }

    private void insertRunIfMissing(Connection c, String runId, String table) throws SQLException {
        String sql = dialect.insertIfAbsent(dialect.quote(RUNS),
                "(run_id, connector_name, dest_table, rows_partitions, state) VALUES (?, ?, ?, 0, '" + STAGING + "')");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            ps.setString(2, connector);
            ps.setString(3, table);
            ps.executeUpdate();
        }
    }

    /** The run's recorded state, its rows locked until the transaction ends; fills {@code stored} with its parts. */
    @SuppressWarnings("unchecked")
    private RunState lock(Connection c, String runId, Set<Integer> stored) throws SQLException {
        String table;
        List<Map<String, String>> replaces = null;
        int rowsPartitions;
        boolean allowEmpty;
        boolean routed;
        List<String> tables = List.of();
        LoadResult decision = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT dest_table, replaces, rows_partitions, state, result, "
                + ALLOW_EMPTY + ", " + ROUTED + ", " + TABLES + " FROM "
                + dialect.quote(RUNS) + " WHERE run_id = ? FOR UPDATE")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("job run " + runId + " has no bookkeeping row");
                table = rs.getString(1);
                String shape = rs.getString(2);
                if (shape != null) replaces = JobStatusTopic.fromJson(shape.getBytes(StandardCharsets.UTF_8), List.class);
                rowsPartitions = rs.getInt(3);
                allowEmpty = rs.getInt(6) != 0;
                routed = rs.getInt(7) != 0;
                String named = rs.getString(8);
                if (named != null) tables = JobStatusTopic.fromJson(named.getBytes(StandardCharsets.UTF_8), List.class);
                String result = rs.getString(5);
                if (!STAGING.equals(rs.getString(4)) && result != null) {
                    decision = JobStatusTopic.fromJson(result.getBytes(StandardCharsets.UTF_8), LoadResult.class);
                }
            }
        }
        Map<Integer, RowsPartition> parts = decision != null ? Map.of() : lockParts(c, runId, stored);
        return new RunState(table, replaces, rowsPartitions, allowEmpty, parts, false, decision, routed,
                new java.util.TreeSet<>(tables));
    }

    private Map<Integer, RowsPartition> lockParts(Connection c, String runId, Set<Integer> stored) throws SQLException {
        Map<Integer, RowsPartition> parts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rows_partition, next_offset, staged, rejected, marker_rows FROM "
                + dialect.quote(PARTS) + " WHERE run_id = ? FOR UPDATE")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long marker = rs.getLong(5);
                    Long announced = rs.wasNull() ? null : marker;
                    parts.put(rs.getInt(1), new RowsPartition(rs.getLong(2), rs.getLong(3), rs.getLong(4), announced));
                    stored.add(rs.getInt(1));
                }
            }
        }
        return parts;
    }

    /** The run's shape, recorded with its first END marker. */
    void saveShape(Connection c, String runId, RunState run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + dialect.quote(RUNS)
                + " SET replaces = ?, rows_partitions = ?, dest_table = ?, " + ALLOW_EMPTY + " = ?, " + ROUTED
                + " = ?, updated_at = CURRENT_TIMESTAMP WHERE run_id = ?")) {
            ps.setString(1, new String(JobStatusTopic.toJson(run.replaces()), StandardCharsets.UTF_8));
            ps.setInt(2, run.rowsPartitions());
            ps.setString(3, run.table());
            ps.setInt(4, run.allowEmpty() ? 1 : 0);
            ps.setInt(5, run.routed() ? 1 : 0);
            ps.setString(6, runId);
            ps.executeUpdate();
        }
    }

    /** The tables the run's rows named so far (a routed run replaces its partitions in each). */
    void saveTables(Connection c, String runId, RunState run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + dialect.quote(RUNS) + " SET " + TABLES
                + " = ? WHERE run_id = ?")) {
            ps.setString(1, new String(JobStatusTopic.toJson(List.copyOf(run.tables())), StandardCharsets.UTF_8));
            ps.setString(2, runId);
            ps.executeUpdate();
        }
    }

    void saveParts(Connection c, String runId, RunState run, Set<Integer> stored) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + dialect.quote(PARTS)
                + " (next_offset, staged, rejected, marker_rows, run_id, rows_partition) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement upd = c.prepareStatement("UPDATE " + dialect.quote(PARTS)
                     + " SET next_offset = ?, staged = ?, rejected = ?, marker_rows = ? WHERE run_id = ? AND rows_partition = ?")) {
            for (Map.Entry<Integer, RowsPartition> e : run.partitions().entrySet()) {
                RowsPartition p = e.getValue();
                PreparedStatement ps = stored.contains(e.getKey()) ? upd : ins;
                ps.setLong(1, p.nextOffset());
                ps.setLong(2, p.staged());
                ps.setLong(3, p.rejected());
                if (p.announced() == null) ps.setNull(4, Types.BIGINT);
                else ps.setLong(4, p.announced());
                ps.setString(5, runId);
                ps.setInt(6, e.getKey());
                ps.addBatch();
            }
            ins.executeBatch();
            upd.executeBatch();
        }
        stored.addAll(run.partitions().keySet());
    }

    /** Records the decision; the run's parts are no longer needed. */
    void decide(Connection c, String runId, LoadResult result) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + dialect.quote(RUNS)
                + " SET state = ?, result = ?, updated_at = CURRENT_TIMESTAMP WHERE run_id = ?")) {
            ps.setString(1, result.state().name());
            ps.setString(2, new String(JobStatusTopic.toJson(result), StandardCharsets.UTF_8));
            ps.setString(3, runId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dialect.quote(PARTS) + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
