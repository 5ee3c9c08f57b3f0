package io.kwsync.sink.jdbc.write;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.jdbc.dialect.BulkLoader;
import io.kwsync.sink.jdbc.dialect.BulkText;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.dialect.SqlErrors;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the groups of a {@link RowPlan} into one table inside the caller's transaction, for the streaming sink and
 * for job staging alike. Plain inserts go through the database's bulk load ({@link BulkLoader}) when it can carry the
 * group's columns and values; what it cannot carry, and any load that does not come back clean, goes as multi-row
 * INSERTs (or upserts) sized below the database's parameter and packet limits. When the database refuses a statement
 * for a row (its values or its size, {@link SqlErrors#refusesRow}), the caller redoes the rows one by one in source
 * order behind savepoints ({@link #insertEach}), so that only the refused rows are set aside. PostgreSQL spoils the
 * whole transaction on a failed statement unless it is rolled back to a savepoint, which is why the bulk load and the
 * row-by-row fallback each take one.
 *
 * <p>A bulk load that fails sends that group as statements, and the next batch tries the bulk load again: one bad row
 * must not slow every later batch. Only a table for which the database refuses the mechanism itself (COPY into a
 * view) is written with statements from then on.
 */
public final class RowInserter {

    private static final Logger LOG = Logger.getLogger(RowInserter.class);
    /** Rows of one group go to the bulk load in pieces of at most this much text. */
    private static final int MAX_BULK_BYTES = 16 << 20;

    private static final int MAX_ROWS_PER_STATEMENT = 1000;
    /** Keeps a statement well below max_allowed_packet (16 MiB by default on MariaDB) whatever the row size. */
    private static final long MAX_CHARS_PER_STATEMENT = 4L << 20;

    /** The database refused a multi-row statement for one of its rows; carries the SQLException. */
    public static final class DataRefused extends Exception {
        DataRefused(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private final SqlDialect dialect;
    private final SqlErrors errors;
    /** Null when bulk loading is off. */
    private final BulkLoader bulk;
    /** Tables the database refused a bulk load into as such (see {@link SqlErrors#refusesBulkLoad}). */
    private final Set<TableName> noBulk = ConcurrentHashMap.newKeySet();
    /** Tables whose failed bulk load was logged at WARN already; later failures are logged at DEBUG. */
    private final Set<TableName> bulkFailureLogged = ConcurrentHashMap.newKeySet();
    private final LongAdder bulkRows = new LongAdder();

    /** @param bulkLoad use the database's bulk load for plain inserts (KWSYNC_JDBC_BULK_LOAD) */
    public RowInserter(SqlDialect dialect, boolean bulkLoad) {
        this.dialect = dialect;
        this.errors = dialect.errors();
        this.bulk = bulkLoad ? dialect.bulkLoader() : null;
    }

    /** Rows written through the bulk load so far (in transactions that may still roll back). */
    public long bulkRows() {
        return bulkRows.sum();
    }

    /** Every row of the group: in bulk when possible, else in as few statements as the limits allow. */
    public void insertAll(Connection c, TableName table, List<TableSchema.Column> upsertKey, RowPlan.Group g)
            throws SQLException, DataRefused {
        insertAll(c, table, upsertKey, null, g);
    }

    /** The same; with {@code version}, an upsert replaces a present row only when the version grows. */
    public void insertAll(Connection c, TableName table, List<TableSchema.Column> upsertKey, TableSchema.Column version,
                          RowPlan.Group g) throws SQLException, DataRefused {
        BulkLoader loader = bulk;
        if (upsertKey == null && loader != null && !noBulk.contains(table) && loadInBulk(loader, c, table, g)) return;
        int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, dialect.maxParameters() / g.columns().size()));
        List<Object[]> values = g.values();
        PreparedStatement full = null;
        try {
            for (int from = 0; from < values.size(); ) {
                int n = 0;
                long chars = 0;
                while (from + n < values.size() && n < perStatement && chars < MAX_CHARS_PER_STATEMENT) {
                    chars += approximateChars(values.get(from + n));
                    n++;
                }
                // statements of the full size are prepared once per group; a shorter last one on its own
                if (n == perStatement && full == null) {
                    full = c.prepareStatement(dialect.insertSql(table, g.columns(), n, upsertKey, version));
                }
                PreparedStatement ps = n == perStatement ? full
                        : c.prepareStatement(dialect.insertSql(table, g.columns(), n, upsertKey, version));
                try {
                    int p = 1;
                    for (int r = from; r < from + n; r++) {
                        Object[] row = values.get(r);
                        for (int i = 0; i < row.length; i++) g.writers().get(i).bind(ps, p++, row[i]);
                    }
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (errors.refusesRow(e)) throw new DataRefused(e);
                    throw e;
                } finally {
                    if (ps != full) ps.close();
                }
                from += n;
            }
        } finally {
            if (full != null) full.close();
        }
    }

    /**
     * The group through the bulk load, behind a savepoint. @return false, with nothing of the group written, when a
     * column or value has no text form, or the load failed or was not clean (the statements then refuse the bad rows;
     * when the database refused bulk loading into this table as such, the table is written with statements from now
     * on, and that is said once)
     */
    private boolean loadInBulk(BulkLoader loader, Connection c, TableName table, RowPlan.Group g) throws SQLException {
        for (ColumnWriter w : g.writers()) {
            if (!loader.accepts(w.rules())) return false;
        }
        Savepoint sp = c.setSavepoint();
        try {
            BulkText text = loader.newText();
            List<Object[]> values = g.values();
            for (int r = 0; r < values.size(); r++) {
                Object[] row = values.get(r);
                for (int i = 0; i < row.length; i++) {
                    if (!loader.append(text, g.writers().get(i).kind(), row[i])) {
                        c.rollback(sp);
                        return false;
                    }
                }
                text.endRow();
                // the rows of a group are alike: room for all of them (up to one load's size) after the first
                if (r == 0) text.reserve((int) Math.min(MAX_BULK_BYTES + (1 << 16), text.size() * (values.size() + values.size() / 8L)));
                if (text.size() >= MAX_BULK_BYTES || r == values.size() - 1) {
                    long loaded = loader.load(c, table, g.columns(), text);
                    if (loaded != text.rows()) {
                        c.rollback(sp);
                        return false;
                    }
                    text.reset();
                }
            }
            c.releaseSavepoint(sp);
            bulkRows.add(values.size());
            return true;
        } catch (SQLException e) {
            if (errors.isTransient(e)) throw e;
            c.rollback(sp);
            if (errors.isSchemaChange(e)) throw e;
            if (errors.refusesBulkLoad(e)) {
                noBulk.add(table);
                LOG.warnf("the database refused a bulk load into %s (%s); writing to it with INSERT statements from now on"
                        + " (KWSYNC_JDBC_BULK_LOAD=false skips the attempt)", table, e.getMessage());
            } else if (errors.refusesRow(e) || !bulkFailureLogged.add(table)) {
                LOG.debugf("bulk load into %s failed (%s); this group goes as INSERT statements", table, e.getMessage());
            } else {
                LOG.warnf("bulk load into %s failed (%s); this group goes as INSERT statements, the next batch tries the"
                        + " bulk load again", table, e.getMessage());
            }
            return false;
        }
    }

    /**
     * One row per statement, in source order, each behind a savepoint; the rows the database refuses are added to
     * {@code rejected}. @return the source rows written
     */
    public int insertEach(Connection c, TableName table, String tableName, List<TableSchema.Column> upsertKey, RowPlan plan,
                   List<Rejected> rejected) throws SQLException {
        return insertEach(c, table, tableName, upsertKey, null, plan, rejected);
    }

    /** The same, for a version-aware upsert when {@code version} is set. */
    public int insertEach(Connection c, TableName table, String tableName, List<TableSchema.Column> upsertKey,
                          TableSchema.Column version, RowPlan plan, List<Rejected> rejected) throws SQLException {
        Map<RowPlan.Group, PreparedStatement> statements = new IdentityHashMap<>();
        int written = 0;
        try {
            for (RowPlan.Planned p : plan.order()) {
                RowPlan.Group g = p.group();
                PreparedStatement ps = statements.get(g);
                if (ps == null) {
                    ps = c.prepareStatement(dialect.insertSql(table, g.columns(), 1, upsertKey, version));
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
                    if (!errors.refusesRow(e)) throw e;
                    c.rollback(sp);
                    for (RowEvent r : sources) {
                        rejected.add(new Rejected(r, new DirtyRecordException(DirtyRecordException.Stage.WRITE,
                                "table " + tableName + " refused the row", e)));
                    }
                }
                c.releaseSavepoint(sp);
            }
        } finally {
            for (PreparedStatement ps : statements.values()) ps.close();
        }
        return written;
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
}
