package io.kwsync.ingest.pipeline;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The stopped state of the connector (failure policy stop, or the dirty-record limit exceeded). Once stopped, no
 * source record is acknowledged again: the one that stopped it and every later one stay uncommitted and are read
 * again after a restart, so nothing past the dirty record is lost or skipped. Each source consumer's loop
 * ({@link SourceLoop}) pauses its partitions once it sees the stop, and every partition assigned to it later, so the
 * stopped replica does not keep fetching; the readiness check reports why it stopped.
 */
@Singleton
public class ConnectorStop {

    private static final Logger LOG = Logger.getLogger(ConnectorStop.class);

    /** Why and where the connector stopped. */
    public record Stopped(String record, String stage, String reason, String why) {
    }

    private volatile Stopped stopped;

    public boolean isStopped() {
        return stopped != null;
    }

    public Stopped stopped() {
        return stopped;
    }

    void stop(Origin origin, DirtyRecordException e, String why) {
        synchronized (this) {
            if (stopped == null) {
                stopped = new Stopped(origin.coordinates(), e.stage().name(), DeadLetter.describe(e), why);
                LOG.errorf("connector stopped at dirty record %s (%s): %s; it stays unacknowledged and is read again"
                        + " after a restart", origin.coordinates(), why, stopped.reason());
            }
        }
    }
}
