package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;
import io.kwsync.sink.DestinationPreview;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.Unchained;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.jdbc.JdbcConfig.JdbcWriteMode;
import io.kwsync.sink.jdbc.ProgressStore.SourcePartition;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.dialect.SqlErrors;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import io.kwsync.sink.jdbc.write.ColumnWriter;
import io.kwsync.sink.jdbc.write.RowDeleter;
import io.kwsync.sink.jdbc.write.RowInserter;
import io.kwsync.sink.jdbc.write.RowPlan;
import io.kwsync.sink.jdbc.write.SchemaCache;
import io.kwsync.sink.jdbc.write.VersionGuard;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

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
 *
 * <p>Delete events (rows format 3) delete by the table's primary key in the same transaction ({@link RowDeleter}),
 * in source order with the rows around them. With a version column, an upsert replaces a row only with a newer
 * version; older ones are counted as stale and not written ({@link VersionGuard}).
 */
public final class JdbcRowSink implements RowSink {

    private static final Logger LOG = Logger.getLogger(JdbcRowSink.class);

    /** What the sink is told by configuration. */
    public record Options(String connector, String progressTable, JdbcWriteMode writeMode, ZoneId timeZone,
                          boolean autoCreateTable, boolean autoAddColumns, boolean bulkLoad, int autoColumnsMax,
                          int schemaCacheSize, String versionColumn, JdbcConfig.VersionSource versionSource) {

        /** Without a version column. */
        public Options(String connector, String progressTable, JdbcWriteMode writeMode, ZoneId timeZone,
                       boolean autoCreateTable, boolean autoAddColumns, boolean bulkLoad, int autoColumnsMax,
                       int schemaCacheSize) {
            this(connector, progressTable, writeMode, timeZone, autoCreateTable, autoAddColumns, bulkLoad, autoColumnsMax,
                    schemaCacheSize, null, JdbcConfig.VersionSource.COLUMN);
        }

        /** With the default size of the schema cache. */
        public Options(String connector, String progressTable, JdbcWriteMode writeMode, ZoneId timeZone,
                       boolean autoCreateTable, boolean autoAddColumns, boolean bulkLoad, int autoColumnsMax) {
            this(connector, progressTable, writeMode, timeZone, autoCreateTable, autoAddColumns, bulkLoad, autoColumnsMax,
                    JdbcConfig.DEFAULT_SCHEMA_CACHE_SIZE);
        }

        /** With the default column budget of auto-create and auto-add. */
        public Options(String connector, String progressTable, JdbcWriteMode writeMode, ZoneId timeZone,
                       boolean autoCreateTable, boolean autoAddColumns, boolean bulkLoad) {
            this(connector, progressTable, writeMode, timeZone, autoCreateTable, autoAddColumns, bulkLoad,
                    JdbcConfig.DEFAULT_AUTO_COLUMNS_MAX);
        }
    }

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    private final SqlErrors errors;
    private final Options options;
    private final ProgressStore progress;
    private final DeadLetterMarks marks;
    private final SchemaCache schemas;
    private final SchemaChanges changes;
    private final RowInserter inserter;
    private final RowDeleter deleter;
    private final VersionGuard versions;

    public JdbcRowSink(AgroalDataSource dataSource, SqlDialect dialect, Options options, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.errors = dialect.errors();
        this.options = options;
        this.progress = new ProgressStore(dialect, options.progressTable(), options.connector());
        this.marks = new DeadLetterMarks(dialect, options.progressTable(), options.connector());
        this.schemas = new SchemaCache(dialect, options.timeZone(), clock, options.schemaCacheSize());
        this.changes = new SchemaChanges(dialect, options.autoColumnsMax());
        this.inserter = new RowInserter(dialect, options.bulkLoad());
        this.deleter = new RowDeleter(dialect);
        this.versions = new VersionGuard(dialect);
    }

    /** What this sink would do with sample rows, on its own connections and settings; see {@link JdbcPreview}. */
    DestinationPreview preview() {
        return new JdbcPreview(dataSource, dialect, schemas, changes, options);
    }

    /** Creates the progress table and the table of dead-letter marks if needed. */
    public void prepare() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            progress.createTable(c);
            marks.createTable(c);
        }
    }

    /**
     * Where the rows of one destination table go: its schema and version column (null: none), or why none of them can
     * be written.
     */
    private record Target(TableName name, SchemaCache.Entry entry, String rejectAll, TableSchema.Column version) {
        Target(TableName name, SchemaCache.Entry entry, String rejectAll) {
            this(name, entry, rejectAll, null);
        }
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
            } catch (RowInserter.DataRefused e) {
                LOG.debugf("batch of %d rows refused (%s); retrying row by row", rows.size(), e.getCause().getMessage());
                return transaction(c, rows, targets, rejects, true);
            }
        } catch (RowInserter.DataRefused e) {
            throw new SinkException("row-by-row write failed: " + e.getCause().getMessage(), false, e.getCause());
        } catch (SQLException e) {
            if (errors.isSchemaChange(e)) targets.values().forEach(t -> schemas.forget(t.name()));
            throw new SinkException("write of " + rows.size() + " rows failed: " + e.getMessage(), !errors.isFatal(e), e);
        }
    }

    private static Map<String, List<RowEvent>> byTable(List<RowEvent> rows) {
        Map<String, List<RowEvent>> byTable = new LinkedHashMap<>();
        TableLists lists = new TableLists(byTable, rows.size());
        for (RowEvent r : rows) lists.add(r);
        return byTable;
    }

    /**
     * Fills lists of rows by table. A stream's next row nearly always goes to the previous row's table, and decoded
     * rows share their table's String instance, so the map is looked up only when the instance changes.
     */
    private static final class TableLists {
        private final Map<String, List<RowEvent>> byTable;
        /** Room for the first table's list: in a stream of one table it takes every row, without growing step by step. */
        private final int first;
        private String table;
        private List<RowEvent> list;

        TableLists(Map<String, List<RowEvent>> byTable, int first) {
            this.byTable = byTable;
            this.first = first;
        }

        void add(RowEvent row) {
            String t = row.destination().table();
            if (t != table || list == null) {
                list = byTable.computeIfAbsent(t, k -> new ArrayList<>(byTable.isEmpty() ? first : 10));
                table = t;
            }
            list.add(row);
        }
    }

    private Target target(Connection c, String text, List<RowEvent> rows) throws SQLException, SinkException {
        TableName name = TableName.parse(text);
        String problem = dialect.tableNameProblem(name);
        if (problem != null) return new Target(name, null, "destination table name \"" + text + "\" " + problem);
        SchemaCache.Entry entry = schemas.get(c, name);
        if (entry == null) {
            if (!options.autoCreateTable()) throw missingTable(c, name);
            String cannot = changes.createTable(c, name, rows);
            if (cannot != null) return new Target(name, null, cannot);
            entry = reread(c, name);
        }
        if (options.autoAddColumns() ? changes.addColumns(c, entry, rows) : schemas.staleFor(entry, rows)) {
            entry = reread(c, name);
        }
        if (options.writeMode() == JdbcWriteMode.UPSERT && entry.schema().primaryKey().isEmpty()) {
            throw new SinkException("table " + entry.schema().table() + " has no primary key, which KWSYNC_JDBC_WRITE_MODE=upsert needs",
                    false, null);
        }
        return new Target(name, entry, null, versionColumn(entry));
    }

    /** The table's column of KWSYNC_JDBC_VERSION_COLUMN; a table that cannot have it stops the sink, naming the variable. */
    private TableSchema.Column versionColumn(SchemaCache.Entry entry) throws SinkException {
        if (options.versionColumn() == null) return null;
        TableSchema.Column v = entry.lookup().find(options.versionColumn());
        String problem = VersionGuard.problem(entry.schema(), options.versionColumn(), v,
                v == null ? null : entry.writers()[v.index()].kind());
        if (problem != null) throw new SinkException(problem, false, null);
        return v;
    }

    /**
     * The likeliest first mistake: the batch waits (readiness says which table and what to do) and is written as soon
     * as the table exists, without a restart.
     */
    private static SinkException missingTable(Connection c, TableName name) throws SQLException {
        String database = c.getCatalog() != null ? c.getCatalog() : c.getSchema();
        return SinkException.waiting("destination table " + name + " does not exist in database " + database
                + " (or the user cannot see it). Create it (see KWSYNC_DESTINATION_TABLE), or set"
                + " KWSYNC_JDBC_AUTO_CREATE_TABLE=true; the sink writes the waiting rows as soon as it exists", null);
    }

    private SchemaCache.Entry reread(Connection c, TableName name) throws SQLException, SinkException {
        schemas.forget(name);
        SchemaCache.Entry entry = schemas.get(c, name);
        if (entry == null) throw new SinkException("table " + name + " cannot be seen after a schema change", true, null);
        return entry;
    }

    private WriteResult transaction(Connection c, List<RowEvent> rows, Map<String, Target> targets, RejectHandler rejects,
                                    boolean rowByRow) throws SQLException, RowInserter.DataRefused {
        c.setAutoCommit(false);
        try {
            Map<SourcePartition, Long> next = progress.lock(c, sourcePartitions(rows));
            Map<SourcePartition, Long> advanced = new LinkedHashMap<>();
            Map<String, List<RowEvent>> byTable = new LinkedHashMap<>();
            int duplicates = 0, unchained = 0;
            // a batch holds runs of rows of one source partition: the partition's next offset is kept here while its
            // run lasts and put into advanced when the run ends, instead of two map lookups and a put per record
            SourcePartition sp = null;
            long expected = 0;
            boolean moved = false;
            TableLists lists = new TableLists(byTable, rows.size());
            for (int i = 0, end; i < rows.size(); i = end) {
                // the rows of one source record are taken or skipped together: progress says "offset X done"
                end = RowEvent.recordEnd(rows, i);
                RowEvent r = rows.get(i);
                if (sp == null || !sp.holds(r)) {
                    if (moved) advanced.put(sp, expected);
                    sp = new SourcePartition(r.origin().topic(), r.origin().partition());
                    expected = advanced.getOrDefault(sp, next.getOrDefault(sp, 0L));
                    moved = false;
                }
                if (r.origin().offset() < expected) {
                    duplicates += end - i;
                    continue;
                }
                if (r.chainedAfter() >= expected) { // the row published before it is not written: its send failed
                    unchained += end - i;
                    continue;
                }
                expected = r.origin().offset() + 1;
                moved = true;
                for (int k = i; k < end; k++) lists.add(rows.get(k));
            }
            if (moved) advanced.put(sp, expected);
            List<Rejected> rejected = new ArrayList<>();
            int written = 0, unknownKeys = 0, stale = 0;
            for (Map.Entry<String, List<RowEvent>> t : byTable.entrySet()) {
                Target target = targets.get(t.getKey());
                if (target.rejectAll() != null) {
                    for (RowEvent r : t.getValue()) {
                        rejected.add(new Rejected(r, new DirtyRecordException(DirtyRecordException.Stage.WRITE, target.rejectAll())));
                    }
                    continue;
                }
                List<TableSchema.Column> key = upsertKey(target);
                SchemaCache.Entry entry = target.entry();
                TableName table = entry.schema().table();
                for (List<RowEvent> run : RowDeleter.runs(t.getValue())) { // deletes and upserts in source order
                    if (run.get(0).operation() == RowOperation.DELETE) {
                        written += deleter.deleteAll(c, entry, table.toString(), run, rejected);
                        continue;
                    }
                    RowPlan plan = RowPlan.of(run, entry, key, table.toString(),
                            k -> changes.missingColumn(entry, k, options.autoAddColumns()), target.version(), sourceVersion());
                    if (target.version() != null) plan = versions.check(c, table, key, target.version(), plan);
                    stale += plan.stale().size();
                    unknownKeys += plan.unknownKeys();
                    rejected.addAll(plan.rejected());
                    if (rowByRow) {
                        written += inserter.insertEach(c, table, table.toString(), key, target.version(), plan, rejected);
                    } else {
                        for (RowPlan.Group g : plan.groups()) inserter.insertAll(c, table, key, target.version(), g);
                        written += plan.rowCount();
                    }
                }
            }
            if (!rejected.isEmpty()) publish(rejected, rejects);
            marks.clear(c, advanced);
            if (!advanced.isEmpty()) progress.update(c, advanced);
            c.commit();
            marks.committed(advanced);
            if (unchained > 0) Unchained.log(unchained);
            return new WriteResult(written, duplicates + unchained, rejected.size(), unknownKeys, stale);
        } catch (SQLException | RowInserter.DataRefused | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /**
     * Hands the refused rows over before the commit. When the handler keeps marks, each of their source partitions is
     * noted first, so a retry or a restart publishes none of them twice ({@link DeadLetterMarks}).
     */
    private void publish(List<Rejected> rejected, RejectHandler rejects) throws SQLException {
        String mark = rejects.mark();
        if (mark == null) {
            rejects.reject(rejected);
            return;
        }
        Map<SourcePartition, Long> through = new LinkedHashMap<>();
        for (Rejected r : rejected) {
            through.merge(new SourcePartition(r.row().origin().topic(), r.row().origin().partition()), r.row().origin().offset(), Math::max);
        }
        rejects.reject(rejected, marks.note(dataSource, through, mark));
    }

    /** The version a row takes from its source record (KWSYNC_JDBC_VERSION_SOURCE), or null when it carries its own. */
    private ToLongFunction<RowEvent> sourceVersion() {
        return switch (options.versionSource()) {
            case COLUMN -> null;
            case TIMESTAMP -> r -> r.origin().timestamp();
            case OFFSET -> r -> r.origin().offset();
        };
    }

    private List<TableSchema.Column> upsertKey(Target target) {
        return options.writeMode() == JdbcWriteMode.UPSERT ? target.entry().schema().primaryKey() : null;
    }

    private static List<SourcePartition> sourcePartitions(List<RowEvent> rows) {
        LinkedHashSet<SourcePartition> set = new LinkedHashSet<>();
        SourcePartition last = null;
        for (RowEvent r : rows) { // runs of one partition: a set entry per run, not per row
            if (last != null && last.holds(r)) continue;
            last = new SourcePartition(r.origin().topic(), r.origin().partition());
            set.add(last);
        }
        return new ArrayList<>(set);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback failed: %s", e.getMessage());
        }
    }

    /** Tables whose schema is cached now (at most KWSYNC_JDBC_SCHEMA_CACHE_SIZE). */
    int cachedSchemas() {
        return schemas.size();
    }

    /** Rows that went through the database's bulk load (see {@link BulkLoader}). */
    long bulkLoadedRows() {
        return inserter.bulkRows();
    }

    /** A cheap probe for readiness: can the database be reached now? */
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
