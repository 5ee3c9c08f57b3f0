package io.kwsync.sink.jdbc;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts job rows into a run's staging table (a copy of the destination table's definition) inside the caller's
 * transaction: multi-row INSERTs, and when the database refuses one for its data, the same rows one by one behind
 * savepoints so that only the refused rows are set aside. Works the same on MySQL and PostgreSQL, where a failed
 * statement spoils the transaction unless rolled back to a savepoint.
 */
final class StageWriter {

    private static final int MAX_ROWS_PER_STATEMENT = 1000;

    private final SqlDialect dialect;

    StageWriter(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** @return the rows refused, with why; every other row is in the staging table when this returns */
    List<Rejected> write(Connection c, String stageTable, List<RowEvent> rows) throws SQLException, io.kwsync.sink.SinkException {
        List<Rejected> rejected = new ArrayList<>();
        if (rows.isEmpty()) return rejected;
        TableSchema schema = SchemaCache.read(c, stageTable);
        RowPlan plan = RowPlan.of(rows, schema.lookup(), schema);
        rejected.addAll(plan.rejected());
        for (RowPlan.Group g : plan.groups()) {
            int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, dialect.maxParameters() / g.columns().size()));
            for (int from = 0; from < g.rows().size(); from += perStatement) {
                int to = Math.min(g.rows().size(), from + perStatement);
                Savepoint sp = c.setSavepoint();
                try {
                    insert(c, stageTable, g, from, to);
                    c.releaseSavepoint(sp);
                } catch (SQLException e) {
                    if (!SqlErrors.isDataError(e)) throw e;
                    c.rollback(sp);
                    insertEach(c, stageTable, g, from, to, rejected);
                }
            }
        }
        return rejected;
    }

    private void insert(Connection c, String table, RowPlan.Group g, int from, int to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql(table, g.columns(), to - from))) {
            int p = 1;
            for (int r = from; r < to; r++) {
                Object[] row = g.values().get(r);
                for (int i = 0; i < row.length; i++) JdbcRowSink.bind(ps, p++, row[i], g.columns().get(i));
            }
            ps.executeUpdate();
        }
    }

    private void insertEach(Connection c, String table, RowPlan.Group g, int from, int to, List<Rejected> rejected)
            throws SQLException {
        for (int r = from; r < to; r++) {
            Savepoint sp = c.setSavepoint();
            try {
                insert(c, table, g, r, r + 1);
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                if (!SqlErrors.isDataError(e)) throw e;
                c.rollback(sp);
                rejected.add(new Rejected(g.rows().get(r), new DirtyRecordException(DirtyRecordException.Stage.WRITE,
                        "table " + g.rows().get(r).destination().table() + " refused the row", e)));
            }
        }
    }

    private String insertSql(String table, List<TableSchema.Column> columns, int rows) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(dialect.quote(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) sb.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i).name()));
        String tuple = "(" + "?,".repeat(columns.size() - 1) + "?)";
        sb.append(") VALUES ").append(tuple);
        for (int r = 1; r < rows; r++) sb.append(',').append(tuple);
        return sb.toString();
    }
}
