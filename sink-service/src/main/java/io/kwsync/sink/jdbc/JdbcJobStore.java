package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.job.JobItem;
import io.kwsync.sink.job.JobLoadStore;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Window-job loads into a SQL database. A run's rows are staged in a table of their own ({@code kwsync_stage_<run>},
 * created with the destination table's definition), and bookkeeping lives in two tables: {@code kwsync_job_runs}
 * (one row per run: its state and, once decided, its result) and {@code kwsync_job_parts} (per run and rows
 * partition: the next rows-topic offset to accept, rows staged and refused, rows announced by the END marker).
 *
 * <p>Every change for a run happens in a transaction that first locks the run's row, so sink replicas that read
 * different rows partitions of the same run take turns. The transaction that records the last END marker also
 * replaces the run's partitions: for each partition, DELETE its rows from the destination and INSERT ... SELECT them
 * from the staging table; readers see the old rows until that commit and the new rows after it. A "partition" of a SQL
 * table is the set of rows whose partition columns (e.g. {@code ds}) hold the partition's values.
 */
public final class JdbcJobStore implements JobLoadStore {

    private static final Logger LOG = Logger.getLogger(JdbcJobStore.class);
    static final String RUNS = "kwsync_job_runs";
    static final String PARTS = "kwsync_job_parts";
    private static final String STAGE_PREFIX = "kwsync_stage_";

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    private final String connector;
    private final Clock clock;
    private final StageWriter stageWriter;
    private volatile boolean prepared;

    JdbcJobStore(AgroalDataSource dataSource, SqlDialect dialect, String connector, ZoneId timeZone, boolean bulkLoad, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.connector = connector;
        this.clock = clock;
        this.stageWriter = new StageWriter(new SchemaCache(dialect, timeZone, clock), new RowInserter(dialect, bulkLoad));
    }

    /** A store with a small pool of its own, so job loads never wait behind streaming writes for a connection. */
    public static JdbcJobStore create(SinkConfig config, Clock clock) {
        SinkConfig.Jdbc jdbc = config.jdbc();
        String url = jdbc.url().orElseThrow();
        SqlDialect dialect = SqlDialect.forUrl(url);
        AgroalDataSource ds = JdbcSinks.dataSource(url, jdbc.user().orElse(null), JdbcSinks.password(jdbc),
                Math.min(2, jdbc.poolSize()), dialect);
        return new JdbcJobStore(ds, dialect, config.connector().name().orElseThrow(), ZoneId.of(jdbc.timeZone()), jdbc.bulkLoad(), clock);
    }

    /** A problem with one run (its data or destination): the run fails, the sink goes on. */
    private static final class RunFailure extends Exception {
        RunFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The locked bookkeeping of one run. */
    private static final class RunRow {
        String table;
        List<Map<String, String>> replaces;
        int rowsPartitions;
        String state;
        String result;

        boolean decided() {
            return !"STAGING".equals(state);
        }
    }

    /** Per rows partition of a run. */
    private static final class Part {
        final boolean stored;
        long nextOffset;
        long staged;
        long rejected;
        Long markerRows;

        Part(boolean stored) {
            this.stored = stored;
        }
    }

    @Override
    public List<LoadResult> apply(List<JobItem> items, RowSink.RejectHandler rejects) throws SinkException {
        List<LoadResult> results = new ArrayList<>();
        try {
            prepare();
            for (Map.Entry<String, List<JobItem>> run : JobItem.byRun(items).entrySet()) {
                results.addAll(applyRun(run.getKey(), run.getValue(), rejects));
            }
        } catch (SQLException e) {
            throw new SinkException("job load failed: " + e.getMessage(), !SqlErrors.isFatal(e), e);
        }
        return results;
    }

    private void prepare() throws SQLException {
        if (prepared) return;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            String text = dialect.name().equals("postgresql") ? "TEXT" : "MEDIUMTEXT";
            st.execute("CREATE TABLE IF NOT EXISTS " + dialect.quote(RUNS) + " ("
                    + "run_id VARCHAR(64) NOT NULL PRIMARY KEY, connector_name VARCHAR(64) NOT NULL, "
                    + "dest_table VARCHAR(256) NOT NULL, replaces " + text + ", rows_partitions INT NOT NULL, "
                    + "state VARCHAR(16) NOT NULL, result " + text + ", "
                    + "updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
            st.execute("CREATE TABLE IF NOT EXISTS " + dialect.quote(PARTS) + " ("
                    + "run_id VARCHAR(64) NOT NULL, rows_partition INT NOT NULL, next_offset BIGINT NOT NULL, "
                    + "staged BIGINT NOT NULL, rejected BIGINT NOT NULL, marker_rows BIGINT, "
                    + "PRIMARY KEY (run_id, rows_partition))");
        }
        prepared = true;
    }

    private List<LoadResult> applyRun(String runId, List<JobItem> items, RowSink.RejectHandler rejects)
            throws SQLException, SinkException {
        String stage = stageTable(runId);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            String table = tableOf(items);
            insertRunIfMissing(c, runId, table);
            try {
                if (items.stream().anyMatch(i -> i instanceof JobItem.Row)) createStage(c, runId, stage);
                c.setAutoCommit(false);
                LoadResult decided = stageAndDecide(c, runId, stage, items, rejects);
                c.commit();
                c.setAutoCommit(true);
                if (decided == null) return List.of();
                dropStage(c, stage);
                return List.of(decided);
            } catch (RunFailure e) {
                rollbackQuietly(c);
                LOG.warnf("job run %s failed in the destination: %s", runId, e.getMessage());
                LoadResult failed = fail(c, runId, e.getMessage());
                dropStage(c, stage);
                return List.of(failed);
            } catch (SQLException | SinkException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static String tableOf(List<JobItem> items) {
        for (JobItem i : items) {
            if (i instanceof JobItem.Row r) return r.row().destination().table();
            if (i instanceof JobItem.Marker m && m.marker().table() != null) return m.marker().table();
        }
        return "";
    }

    /** The run's decision when these items decide it (or repeat it after a redelivery), null otherwise. */
    private LoadResult stageAndDecide(Connection c, String runId, String stage, List<JobItem> items,
                                      RowSink.RejectHandler rejects) throws SQLException, SinkException, RunFailure {
        RunRow run = lockRun(c, runId);
        if (run.decided()) return repeatDecision(run, runId, items);
        Map<Integer, Part> parts = lockParts(c, runId);
        List<RowEvent> rows = new ArrayList<>();
        IdentityHashMap<RowEvent, Integer> rowPartition = new IdentityHashMap<>();
        boolean endSeen = false;
        for (JobItem item : items) {
            Part p = parts.computeIfAbsent(item.rowsPartition(), k -> new Part(false));
            if (item.rowsOffset() < p.nextOffset) continue; // delivered again after a restart
            p.nextOffset = item.rowsOffset() + 1;
            if (item instanceof JobItem.Row r) {
                RowEvent withPartition = withPartitionColumns(r.row());
                rows.add(withPartition);
                rowPartition.put(withPartition, item.rowsPartition());
                p.staged++;
            } else {
                JobMarker m = ((JobItem.Marker) item).marker();
                if (m.kind() == JobMarker.Kind.ABORT) {
                    return decide(c, runId, run, LoadResult.State.ABORTED, Map.of(), 0, "aborted by ingest-service");
                }
                p.markerRows = m.rows();
                endSeen = true;
                if (run.replaces == null) {
                    run.replaces = new ArrayList<>();
                    for (Destination d : m.replaces()) run.replaces.add(d.partition());
                    run.rowsPartitions = m.rowsPartitions();
                    run.table = m.table();
                    updateRunShape(c, runId, run);
                }
            }
        }
        List<Rejected> refused = stageRows(c, stage, run.table, rows);
        for (Rejected r : refused) {
            Part p = parts.get(rowPartition.get(r.row()));
            p.staged--;
            p.rejected++;
        }
        if (!refused.isEmpty()) rejects.reject(refused);
        saveParts(c, runId, parts);
        if (!endSeen || run.rowsPartitions == 0) return null;
        long markers = parts.values().stream().filter(p -> p.markerRows != null).count();
        if (markers < run.rowsPartitions) return null;
        long rejected = 0;
        for (Map.Entry<Integer, Part> e : parts.entrySet()) {
            Part p = e.getValue();
            if (p.markerRows == null) continue;
            if (p.staged + p.rejected != p.markerRows) {
                throw new RunFailure("rows partition " + e.getKey() + " announced " + p.markerRows + " rows but "
                        + (p.staged + p.rejected) + " arrived", null);
            }
            rejected += p.rejected;
        }
        Map<String, Long> written = replace(c, run, stage, parts.values().stream().mapToLong(p -> p.staged).sum());
        return decide(c, runId, run, LoadResult.State.COMMITTED, written, rejected, null);
    }

    private List<Rejected> stageRows(Connection c, String stage, String table, List<RowEvent> rows) throws SQLException, SinkException, RunFailure {
        try {
            return stageWriter.write(c, new TableName(null, stage), table, rows);
        } catch (SQLException e) {
            if (isRunProblem(e)) throw new RunFailure("staging rows failed: " + e.getMessage(), e);
            throw e;
        } catch (SinkException e) {
            if (!e.retriable()) throw new RunFailure(e.getMessage(), e);
            throw e;
        }
    }

    /** Decided runs: rows are dropped; an END marker (a redelivery) repeats the decision so it is published again. */
    private static LoadResult repeatDecision(RunRow run, String runId, List<JobItem> items) {
        if (!JobItem.hasEnd(items) || run.result == null) return null;
        return JobStatusTopic.fromJson(run.result.getBytes(java.nio.charset.StandardCharsets.UTF_8), LoadResult.class);
    }

    /** Partition values are columns of the row; they win over message keys of the same name. */
    static RowEvent withPartitionColumns(RowEvent row) {
        Map<String, String> spec = row.destination().partition();
        if (spec.isEmpty()) return row;
        Map<String, Object> columns = new LinkedHashMap<>();
        row.columns().forEach((k, v) -> {
            if (spec.keySet().stream().noneMatch(p -> p.equalsIgnoreCase(k))) columns.put(k, v);
        });
        columns.putAll(spec);
        return new RowEvent(row.origin(), row.destination(), columns, row.jobId());
    }

    /** DELETE each partition of the run and INSERT ... SELECT it from the staging table; returns rows per partition. */
    private Map<String, Long> replace(Connection c, RunRow run, String stage, long staged) throws SQLException, RunFailure {
        Map<String, Long> written = new LinkedHashMap<>();
        try {
            TableName table = destination(run.table);
            List<String> columns = copyableColumns(c, table);
            String list = String.join(", ", columns.stream().map(dialect::quote).toList());
            boolean stageExists = staged > 0;
            long total = 0;
            for (Map<String, String> spec : run.replaces) {
                String where = where(spec);
                try (PreparedStatement del = c.prepareStatement("DELETE FROM " + dialect.quote(table) + where)) {
                    bindSpec(del, spec);
                    del.executeUpdate();
                }
                long n = 0;
                if (stageExists) {
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + dialect.quote(table) + " (" + list
                            + ") SELECT " + list + " FROM " + dialect.quote(stage) + where)) {
                        bindSpec(ins, spec);
                        n = ins.executeUpdate();
                    }
                }
                written.put(new Destination(run.table, spec).partitionSpec(), n);
                total += n;
            }
            if (total != staged) {
                throw new RunFailure(staged + " rows were staged but " + total
                        + " belong to the partitions the run replaces " + written.keySet(), null);
            }
            return written;
        } catch (SQLException e) {
            if (isRunProblem(e)) throw new RunFailure("replacing the partitions of " + run.table + " failed: " + e.getMessage(), e);
            throw e;
        }
    }

    private String where(Map<String, String> spec) {
        if (spec.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(" WHERE ");
        int i = 0;
        for (String column : spec.keySet()) sb.append(i++ == 0 ? "" : " AND ").append(dialect.quote(column)).append(" = ?");
        return sb.toString();
    }

    private static void bindSpec(PreparedStatement ps, Map<String, String> spec) throws SQLException {
        int i = 1;
        for (String v : spec.values()) ps.setString(i++, v);
    }

    /** The run's destination table, refused (the run fails) when its name is not a safe identifier. */
    private TableName destination(String text) throws RunFailure {
        TableName name = TableName.parse(text);
        String problem = dialect.tableNameProblem(name);
        if (problem != null) throw new RunFailure("destination table name \"" + text + "\" " + problem, null);
        return name;
    }

    /** Destination columns a copy can fill: not auto-increment, not generated. */
    private List<String> copyableColumns(Connection c, TableName table) throws SQLException, RunFailure {
        DatabaseMetaData md = c.getMetaData();
        String[] scope = dialect.metadataScope(c, table);
        String esc = md.getSearchStringEscape();
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getColumns(scope[0], scope[1] == null ? null : SchemaCache.escape(scope[1], esc),
                SchemaCache.escape(table.name(), esc), null)) {
            while (rs.next()) {
                if (!table.name().equals(rs.getString("TABLE_NAME"))) continue;
                if ("YES".equals(rs.getString("IS_AUTOINCREMENT")) || "YES".equals(rs.getString("IS_GENERATEDCOLUMN"))) continue;
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (out.isEmpty()) throw new RunFailure("destination table '" + table + "' does not exist or has no writable column", null);
        return out;
    }

    private LoadResult decide(Connection c, String runId, RunRow run, LoadResult.State state, Map<String, Long> written,
                              long rejected, String reason) throws SQLException {
        LoadResult result = new LoadResult(runId, state, run.table, written, rejected, reason, clock.millis());
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + dialect.quote(RUNS)
                + " SET state = ?, result = ?, updated_at = CURRENT_TIMESTAMP WHERE run_id = ?")) {
            ps.setString(1, state.name());
            ps.setString(2, new String(JobStatusTopic.toJson(result), java.nio.charset.StandardCharsets.UTF_8));
            ps.setString(3, runId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dialect.quote(PARTS) + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            ps.executeUpdate();
        }
        return result;
    }

    /** Marks the run failed in a transaction of its own; the destination keeps its previous rows. */
    private LoadResult fail(Connection c, String runId, String reason) throws SQLException {
        c.setAutoCommit(false);
        try {
            RunRow run = lockRun(c, runId);
            LoadResult result = run.decided() && run.result != null
                    ? JobStatusTopic.fromJson(run.result.getBytes(java.nio.charset.StandardCharsets.UTF_8), LoadResult.class)
                    : decide(c, runId, run, LoadResult.State.FAILED, Map.of(), 0, reason);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void insertRunIfMissing(Connection c, String runId, String table) throws SQLException {
        String cols = " (run_id, connector_name, dest_table, rows_partitions, state) VALUES (?, ?, ?, 0, 'STAGING')";
        String sql = dialect.name().equals("postgresql")
                ? "INSERT INTO " + dialect.quote(RUNS) + cols + " ON CONFLICT DO NOTHING"
                : "INSERT IGNORE INTO " + dialect.quote(RUNS) + cols;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            ps.setString(2, connector);
            ps.setString(3, table);
            ps.executeUpdate();
        }
    }

    @SuppressWarnings("unchecked")
    private RunRow lockRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT dest_table, replaces, rows_partitions, state, result FROM "
                + dialect.quote(RUNS) + " WHERE run_id = ? FOR UPDATE")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("job run " + runId + " has no bookkeeping row");
                RunRow r = new RunRow();
                r.table = rs.getString(1);
                String replaces = rs.getString(2);
                if (replaces != null) {
                    r.replaces = JobStatusTopic.fromJson(replaces.getBytes(java.nio.charset.StandardCharsets.UTF_8), List.class);
                }
                r.rowsPartitions = rs.getInt(3);
                r.state = rs.getString(4);
                r.result = rs.getString(5);
                return r;
            }
        }
    }

    private void updateRunShape(Connection c, String runId, RunRow run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + dialect.quote(RUNS)
                + " SET replaces = ?, rows_partitions = ?, dest_table = ?, updated_at = CURRENT_TIMESTAMP WHERE run_id = ?")) {
            ps.setString(1, new String(JobStatusTopic.toJson(run.replaces), java.nio.charset.StandardCharsets.UTF_8));
            ps.setInt(2, run.rowsPartitions);
            ps.setString(3, run.table);
            ps.setString(4, runId);
            ps.executeUpdate();
        }
    }

    private Map<Integer, Part> lockParts(Connection c, String runId) throws SQLException {
        Map<Integer, Part> parts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rows_partition, next_offset, staged, rejected, marker_rows FROM "
                + dialect.quote(PARTS) + " WHERE run_id = ? FOR UPDATE")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Part p = new Part(true);
                    p.nextOffset = rs.getLong(2);
                    p.staged = rs.getLong(3);
                    p.rejected = rs.getLong(4);
                    long marker = rs.getLong(5);
                    p.markerRows = rs.wasNull() ? null : marker;
                    parts.put(rs.getInt(1), p);
                }
            }
        }
        return parts;
    }

    private void saveParts(Connection c, String runId, Map<Integer, Part> parts) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + dialect.quote(PARTS)
                + " (next_offset, staged, rejected, marker_rows, run_id, rows_partition) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement upd = c.prepareStatement("UPDATE " + dialect.quote(PARTS)
                     + " SET next_offset = ?, staged = ?, rejected = ?, marker_rows = ? WHERE run_id = ? AND rows_partition = ?")) {
            for (Map.Entry<Integer, Part> e : parts.entrySet()) {
                Part p = e.getValue();
                PreparedStatement ps = p.stored ? upd : ins;
                ps.setLong(1, p.nextOffset);
                ps.setLong(2, p.staged);
                ps.setLong(3, p.rejected);
                if (p.markerRows == null) ps.setNull(4, java.sql.Types.BIGINT);
                else ps.setLong(4, p.markerRows);
                ps.setString(5, runId);
                ps.setInt(6, e.getKey());
                ps.addBatch();
            }
            ins.executeBatch();
            upd.executeBatch();
        }
    }

    private void createStage(Connection c, String runId, String stage) throws SQLException, RunFailure {
        String sql = dialect.name().equals("postgresql")
                ? "CREATE TABLE IF NOT EXISTS " + dialect.quote(stage) + " (LIKE %s INCLUDING ALL)"
                : "CREATE TABLE IF NOT EXISTS " + dialect.quote(stage) + " LIKE %s";
        String table = currentTable(c, runId);
        try (Statement st = c.createStatement()) {
            st.execute(String.format(sql, dialect.quote(destination(table))));
        } catch (SQLException e) {
            if (isRunProblem(e)) throw new RunFailure("cannot create the staging table for " + table + ": " + e.getMessage(), e);
            throw e;
        }
    }

    private String currentTable(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT dest_table FROM " + dialect.quote(RUNS) + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("job run " + runId + " has no bookkeeping row");
                return rs.getString(1);
            }
        }
    }

    private void dropStage(Connection c, String stage) {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + dialect.quote(stage));
        } catch (SQLException e) {
            LOG.warnf("could not drop staging table %s (drop it by hand): %s", stage, e.getMessage());
        }
    }

    /** kwsync_stage_ plus the run id, at most 63 characters of [a-z0-9_]. */
    static String stageTable(String runId) {
        String clean = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = STAGE_PREFIX + clean;
        if (name.length() <= 63) return name;
        String hash = Integer.toHexString(runId.hashCode());
        return name.substring(0, 63 - hash.length() - 1) + "_" + hash;
    }

    /** Errors that belong to the run's data or destination (retrying the same items cannot help). */
    static boolean isRunProblem(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return SqlErrors.isDataError(e) || SqlErrors.isSchemaChange(e) || SqlErrors.isFatal(e) || state.startsWith("42");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) c.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback failed: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
