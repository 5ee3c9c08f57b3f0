package io.kwsync.sink.jdbc;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the groups of a {@link RowPlan} into one table inside the caller's transaction, for the streaming sink and
 * for job staging alike: multi-row INSERTs (or upserts) sized below the database's parameter and packet limits, and,
 * when the database refuses a statement for its data, the same rows one by one in source order behind savepoints, so
 * that only the refused rows are set aside. PostgreSQL spoils the whole transaction on a failed statement unless it is
 * rolled back to a savepoint, which is why the fallback takes one per row.
 */
final class RowInserter {

    private static final int MAX_ROWS_PER_STATEMENT = 1000;
    /** Keeps a statement well below max_allowed_packet (16 MiB by default on MariaDB) whatever the row size. */
    private static final long MAX_CHARS_PER_STATEMENT = 4L << 20;

    /** The database refused a multi-row statement for its data; carries the SQLException. */
    static final class DataRefused extends Exception {
        DataRefused(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private final SqlDialect dialect;

    RowInserter(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** Every row of the group, in as few statements as the limits allow. */
    void insertAll(Connection c, TableName table, List<TableSchema.Column> upsertKey, RowPlan.Group g)
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
                sql = dialect.insertSql(table, g.columns(), n, upsertKey);
            } else {
                if (fullSql == null) fullSql = dialect.insertSql(table, g.columns(), n, upsertKey);
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

    /**
     * One row per statement, in source order, each behind a savepoint; the rows the database refuses are added to
     * {@code rejected}. @return the source rows written
     */
    int insertEach(Connection c, TableName table, List<TableSchema.Column> upsertKey, RowPlan plan, List<Rejected> rejected)
            throws SQLException {
        Map<RowPlan.Group, PreparedStatement> statements = new IdentityHashMap<>();
        int written = 0;
        try {
            for (RowPlan.Planned p : plan.order()) {
                RowPlan.Group g = p.group();
                PreparedStatement ps = statements.get(g);
                if (ps == null) {
                    ps = c.prepareStatement(dialect.insertSql(table, g.columns(), 1, upsertKey));
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
