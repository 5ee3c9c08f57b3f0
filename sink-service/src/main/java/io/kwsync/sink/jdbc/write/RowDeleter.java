package io.kwsync.sink.jdbc.write;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Delete row events (rows format 3, from change-data-capture topics) against one table, inside the caller's
 * transaction: {@code DELETE ... WHERE} each primary-key column equals the event's value, coerced to the column type as
 * an insert's would be. A table without a primary key, or an event that lacks a key column's value, cannot say which
 * row to delete: that event is refused with the reason (its dead letter), never guessed at.
 *
 * <p>{@link #runs} splits a table's rows into runs of upserts and runs of deletes in source order, so that the caller
 * applies them in that order and a key deleted and then inserted again within one batch ends up inserted.
 */
public final class RowDeleter {

    private final SqlDialect dialect;

    public RowDeleter(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The rows in source order, cut where the operation changes; one run when there are no deletes. */
    public static List<List<RowEvent>> runs(List<RowEvent> rows) {
        List<List<RowEvent>> out = new ArrayList<>();
        List<RowEvent> run = null;
        RowOperation op = null;
        for (RowEvent r : rows) {
            if (run == null || r.operation() != op) {
                run = new ArrayList<>();
                out.add(run);
                op = r.operation();
            }
            run.add(r);
        }
        return out;
    }

    /**
     * Deletes the rows whose primary keys the events give.
     *
     * @param rejected where events that cannot be applied go
     * @return the events applied (a key with no row counts: the row is gone either way)
     */
    public int deleteAll(Connection c, SchemaCache.Entry entry, String tableName, List<RowEvent> deletes, List<Rejected> rejected)
            throws SQLException {
        TableSchema schema = entry.schema();
        List<TableSchema.Column> key = schema.primaryKey();
        if (key.isEmpty()) {
            for (RowEvent r : deletes) {
                rejected.add(refused(r, tableName, "has no primary key, so a delete event cannot say which row to delete;"
                        + " add a primary key to the table"));
            }
            return 0;
        }
        StringJoiner where = new StringJoiner(" AND ");
        for (TableSchema.Column k : key) where.add(dialect.quote(k.name()) + " = ?");
        int applied = 0;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dialect.quote(schema.table()) + " WHERE " + where)) {
            for (RowEvent r : deletes) {
                Object[] values = new Object[key.size()];
                String problem = keyValues(entry, key, r, values);
                if (problem != null) {
                    rejected.add(refused(r, tableName, problem));
                    continue;
                }
                for (int i = 0; i < values.length; i++) entry.writers()[key.get(i).index()].bind(ps, i + 1, values[i]);
                ps.addBatch();
                applied++;
            }
            if (applied > 0) ps.executeBatch();
        }
        return applied;
    }

    private static String keyValues(SchemaCache.Entry entry, List<TableSchema.Column> key, RowEvent r, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            TableSchema.Column k = key.get(i);
            Object v = null;
            for (var e : r.columns().entrySet()) {
                if (entry.lookup().find(e.getKey()) == k) v = e.getValue();
            }
            if (v == null) return "the delete event has no value for primary-key column " + k.name();
            try {
                values[i] = entry.writers()[k.index()].coerce(v);
            } catch (CoercionException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private static Rejected refused(RowEvent r, String tableName, String problem) {
        return new Rejected(r, new DirtyRecordException(DirtyRecordException.Stage.WRITE, "table " + tableName + ": " + problem));
    }
}
