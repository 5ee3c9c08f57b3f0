package io.kwsync.sink.jdbc.job;

import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.job.RunState;
import io.kwsync.sink.job.RunStateStore;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * One run opened for one poll: a transaction on one connection that holds the run's bookkeeping rows locked, and in
 * which the staging writes too, so that staged rows and the offsets that account for them commit together.
 */
public final class JdbcRun implements RunStateStore.Run {

    private static final Logger LOG = Logger.getLogger(JdbcRun.class);

    private final JdbcRunStore store;
    private final Connection connection;
    private final String runId;
    private final RunState recorded;
    /** Rows partitions that have a bookkeeping row already (updated, not inserted, when saved). */
    private final Set<Integer> stored;
    private boolean shapeSaved;
    private java.util.SortedSet<String> tablesSaved;
    private boolean committed;

    JdbcRun(JdbcRunStore store, Connection connection, String runId, RunState recorded, Set<Integer> stored) {
        this.store = store;
        this.connection = connection;
        this.runId = runId;
        this.recorded = recorded;
        this.stored = stored;
        this.shapeSaved = recorded.replaces() != null;
        this.tablesSaved = recorded.tables();
    }

    /** The connection of the run's transaction. */
    public Connection connection() {
        return connection;
    }

    public String runId() {
        return runId;
    }

    @Override
    public RunState state() {
        return recorded;
    }

    @Override
    public void save(RunState run) throws SQLException {
        saveShape(run);
        saveTables(run);
        store.saveParts(connection, runId, run, stored);
    }

    @Override
    public void decide(RunState run, LoadResult result) throws SQLException {
        saveShape(run);
        store.decide(connection, runId, result);
    }

    /** The tables grow as rows for new ones arrive; recorded only when they did. */
    private void saveTables(RunState run) throws SQLException {
        if (run.tables().equals(tablesSaved)) return;
        store.saveTables(connection, runId, run);
        tablesSaved = run.tables();
    }

    /** The shape is recorded once, in the unit that saw the first END marker. */
    private void saveShape(RunState run) throws SQLException {
        if (shapeSaved || run.replaces() == null) return;
        store.saveShape(connection, runId, run);
        shapeSaved = true;
    }

    @Override
    public void commit() throws SQLException {
        connection.commit();
        committed = true;
    }

    @Override
    public void close() {
        try {
            if (!committed) connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.debugf("rollback of job run %s failed: %s", runId, e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("closing the connection of job run %s failed: %s", runId, e.getMessage());
        }
    }
}
