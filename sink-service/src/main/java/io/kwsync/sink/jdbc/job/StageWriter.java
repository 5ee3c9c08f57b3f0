package io.kwsync.sink.jdbc.job;

import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.write.RowInserter;
import io.kwsync.sink.jdbc.write.RowPlan;
import io.kwsync.sink.jdbc.write.SchemaCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts job rows into a run's staging table (a copy of the destination table's definition) inside the caller's
 * transaction. Values are matched and coerced exactly as the streaming sink does ({@link RowPlan}, {@link RowInserter}),
 * so a job and a stream refuse the same rows for the same reasons.
 */
final class StageWriter {

    private final SchemaCache schemas;
    private final RowInserter inserter;

    StageWriter(SchemaCache schemas, RowInserter inserter) {
        this.schemas = schemas;
        this.inserter = inserter;
    }

    /**
     * @param destination the table the run loads, named in the reasons instead of the staging copy
     * @return the rows refused, with why; every other row is in the staging table when this returns
     */
    List<Rejected> write(Connection c, TableName stage, String destination, List<RowEvent> rows) throws SQLException, SinkException {
        List<Rejected> rejected = new ArrayList<>();
        if (rows.isEmpty()) return rejected;
        SchemaCache.Entry entry = schemas.readEntry(c, stage);
        if (entry == null) throw new SinkException("staging table " + stage + " disappeared", false, null);
        RowPlan plan = RowPlan.of(rows, entry, null, destination);
        rejected.addAll(plan.rejected());
        Savepoint sp = c.setSavepoint();
        try {
            for (RowPlan.Group g : plan.groups()) inserter.insertAll(c, stage, null, g);
            c.releaseSavepoint(sp);
        } catch (RowInserter.DataRefused e) {
            c.rollback(sp);
            inserter.insertEach(c, stage, destination, null, plan, rejected);
        }
        return rejected;
    }
}
