package io.kwsync.sink.jdbc.job;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.dialect.SqlErrors;
import io.kwsync.sink.jdbc.schema.SchemaReader;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.write.RowInserter;
import io.kwsync.sink.jdbc.write.SchemaCache;
import io.kwsync.sink.job.JobItem;
import io.kwsync.sink.job.JobStaging;
import io.kwsync.sink.job.RunFailedException;
import io.kwsync.sink.job.RunState;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Window-job staging in a SQL database. A run's rows go to a table of their own per destination table
 * ({@code kwsync_stage_<run>_<table hash>}, created with the destination table's definition), written and refused
 * exactly as streaming rows are. The commit, in the transaction of the run's unit of work, replaces each partition the
 * run names in each table it loads (one table, or for a routed run every table its rows named): DELETE its rows from
 * the destination and INSERT ... SELECT them from the staging table; readers see the old rows until that commit and
 * the new rows after it, in every table at once, and a table that cannot be replaced fails the whole run with no table
 * changed. A "partition" of a SQL table is the set of rows whose partition columns (e.g. {@code ds}) hold the
 * partition's values, which the staged rows carry as columns. Before a run that brings no row replaces partitions, it
 * reports whether they hold rows ({@link #rowsHeld}), so that a window that read nothing does not empty them unasked.
 */
public final class JdbcStaging implements JobStaging<JdbcRun> {

    private static final Logger LOG = Logger.getLogger(JdbcStaging.class);
    private static final String STAGE_PREFIX = "kwsync_stage_";

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    private final SqlErrors errors;
    private final StageWriter stageWriter;

    /** @param dataSource for the DDL outside the run's transaction; the run store closes it */
    public JdbcStaging(AgroalDataSource dataSource, SqlDialect dialect, ZoneId timeZone, boolean bulkLoad, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.errors = dialect.errors();
        this.stageWriter = new StageWriter(new SchemaCache(dialect, timeZone, clock), new RowInserter(dialect, bulkLoad));
    }

    /**
     * Creates the staging table of each table the rows name, before the transaction (MySQL would commit it on DDL).
     * A table that does not exist fails the run.
     */
    @Override
    public void prepare(String runId, String table, List<JobItem> items) throws SQLException, RunFailedException {
        Set<String> tables = new TreeSet<>();
        for (JobItem i : items) if (i instanceof JobItem.Row r) tables.add(r.row().destination().table());
        if (tables.isEmpty()) return;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String t : tables) {
                try {
                    st.execute(dialect.createTableLike(stageTable(runId, t), destination(t)));
                } catch (SQLException e) {
                    if (isRunProblem(e)) throw new RunFailedException("cannot create the staging table for " + t + ": " + e.getMessage(), e);
                    throw e;
                }
            }
        }
    }

    @Override
    public List<Refusal> stage(JdbcRun unit, RunState run, List<JobItem.Row> rows) throws Exception {
        if (rows.isEmpty()) return List.of();
        Map<String, List<RowEvent>> byTable = new TreeMap<>();
        IdentityHashMap<RowEvent, Integer> rowsPartition = new IdentityHashMap<>();
        for (JobItem.Row r : rows) {
            RowEvent withPartition = withPartitionColumns(r.row());
            byTable.computeIfAbsent(r.row().destination().table(), t -> new ArrayList<>()).add(withPartition);
            rowsPartition.put(withPartition, r.rowsPartition());
        }
        List<Rejected> refused = new ArrayList<>();
        try {
            for (Map.Entry<String, List<RowEvent>> e : byTable.entrySet()) {
                TableName stage = new TableName(null, stageTable(unit.runId(), e.getKey()));
                refused.addAll(stageWriter.write(unit.connection(), stage, e.getKey(), e.getValue()));
            }
        } catch (SQLException e) {
            if (isRunProblem(e)) throw new RunFailedException("staging rows failed: " + e.getMessage(), e);
            throw e;
        } catch (SinkException e) {
            if (!e.retriable()) throw new RunFailedException(e.getMessage(), e);
            throw e;
        }
        return refused.stream().map(r -> new Refusal(rowsPartition.get(r.row()), r)).toList();
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

    /**
     * DELETE each partition of the run in each table it loads and INSERT ... SELECT it from that table's staging
     * table, all in the unit's one transaction; returns rows per partition ({@code ds=...}, or for a routed run
     * {@code table/ds=...}, just {@code table} when unpartitioned).
     */
    @Override
    public Map<String, Long> commit(JdbcRun unit, RunState run) throws SQLException, RunFailedException {
        Map<String, Long> written = new LinkedHashMap<>();
        long total = 0;
        for (String target : run.targets()) total += replace(unit, run, target, written);
        if (total != run.staged()) {
            throw new RunFailedException(run.staged() + " rows were staged but " + total
                    + " belong to the partitions the run replaces " + written.keySet());
        }
        return written;
    }

    /** Replaces the run's partitions of one table; adds each to {@code written} and returns the rows copied. */
    private long replace(JdbcRun unit, RunState run, String target, Map<String, Long> written)
            throws SQLException, RunFailedException {
        Connection c = unit.connection();
        try {
            TableName table = destination(target);
            List<String> columns = SchemaReader.copyableColumns(c, table, dialect);
            if (columns.isEmpty()) {
                throw new RunFailedException("destination table '" + table + "' does not exist or has no writable column");
            }
            String list = String.join(", ", columns.stream().map(dialect::quote).toList());
            boolean hasStage = run.tables().contains(target) && run.staged() > 0;
            String stage = dialect.quote(stageTable(unit.runId(), target));
            long total = 0;
            for (Map<String, String> spec : run.replaces()) {
                String where = where(spec);
                try (PreparedStatement del = c.prepareStatement("DELETE FROM " + dialect.quote(table) + where)) {
                    bindSpec(del, spec);
                    del.executeUpdate();
                }
                long n = 0;
                if (hasStage) {
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + dialect.quote(table) + " (" + list
                            + ") SELECT " + list + " FROM " + stage + where)) {
                        bindSpec(ins, spec);
                        n = ins.executeUpdate();
                    }
                }
                written.put(key(run, target, spec), n);
                total += n;
            }
            return total;
        } catch (SQLException e) {
            if (isRunProblem(e)) {
                throw new RunFailedException("replacing the partitions of " + target + " failed: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** A partition as the run's result names it: its spec, prefixed by its table when the run loads several. */
    private static String key(RunState run, String table, Map<String, String> spec) {
        Destination d = new Destination(table, spec);
        return run.routed() ? d.toString() : d.partitionSpec();
    }

    /**
     * Per replaced partition, whether any row holds its values (one row at most is read), and only for those that
     * hold rows how many (the run is about to fail, and the reason names the count).
     */
    @Override
    public Map<String, Long> rowsHeld(JdbcRun unit, RunState run) throws SQLException, RunFailedException {
        Connection c = unit.connection();
        Map<String, Long> held = new LinkedHashMap<>();
        for (String target : run.targets()) held.putAll(rowsHeld(c, run, target));
        return held;
    }

    private Map<String, Long> rowsHeld(Connection c, RunState run, String target) throws SQLException, RunFailedException {
        Map<String, Long> held = new LinkedHashMap<>();
        String table = dialect.quote(destination(target));
        try {
            for (Map<String, String> spec : run.replaces()) {
                String where = where(spec);
                boolean any;
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + where + " LIMIT 1")) {
                    bindSpec(ps, spec);
                    try (ResultSet rs = ps.executeQuery()) {
                        any = rs.next();
                    }
                }
                if (!any) continue;
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + where)) {
                    bindSpec(ps, spec);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        held.put(key(run, target, spec), rs.getLong(1));
                    }
                }
            }
            return held;
        } catch (SQLException e) {
            if (isRunProblem(e)) {
                throw new RunFailedException("reading the partitions of " + target + " failed: " + e.getMessage(), e);
            }
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
    private TableName destination(String text) throws RunFailedException {
        TableName name = TableName.parse(text == null ? "" : text);
        String problem = dialect.tableNameProblem(name);
        if (problem != null) throw new RunFailedException("destination table name \"" + text + "\" " + problem);
        return name;
    }

    @Override
    public void discard(String runId, Collection<String> tables) {
        for (String table : tables) {
            String stage = stageTable(runId, table);
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("DROP TABLE IF EXISTS " + dialect.quote(stage));
            } catch (SQLException e) {
                LOG.warnf("could not drop staging table %s (drop it by hand): %s", stage, e.getMessage());
            }
        }
    }

    /**
     * The staging table of one destination table of a run: {@link #stageTable(String)} cut to 50 characters, then
     * {@code _} and 12 hex digits of the table name's SHA-256, so that the tables of one run never share a staging
     * table (a clash would also show as more rows copied than staged, which fails the run).
     */
    public static String stageTable(String runId, String table) {
        String base = stageTable(runId);
        if (base.length() > 50) base = base.substring(0, 50);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(table.getBytes(StandardCharsets.UTF_8));
            return base + "_" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** kwsync_stage_ plus the run id, at most 63 characters of [a-z0-9_]: the prefix of the run's staging tables. */
    public static String stageTable(String runId) {
        String clean = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = STAGE_PREFIX + clean;
        if (name.length() <= 63) return name;
        String hash = Integer.toHexString(runId.hashCode());
        return name.substring(0, 63 - hash.length() - 1) + "_" + hash;
    }

    /** Errors that belong to the run's data or destination: retrying the same items cannot help. */
    private boolean isRunProblem(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return errors.isDataError(e) || errors.isSchemaChange(e) || errors.isFatal(e) || state.startsWith("42");
    }
}
