package io.kwsync.ingest.pipeline;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stopped state of the connector (failure policy stop, or the dirty-record limit exceeded). Once stopped, no
 * source record is acknowledged again: the one that stopped it and every later one stay uncommitted and are read
 * again after a restart, so nothing past the dirty record is lost or skipped. The source consumers are paused so
 * the stopped replica does not keep fetching; the readiness check reports why it stopped.
 */
@Singleton
public class ConnectorStop {

    private static final Logger LOG = Logger.getLogger(ConnectorStop.class);

    /** Why and where the connector stopped. */
    public record Stopped(String record, String stage, String reason, String why) {
    }

    private final KafkaClientService clients;
    private final AtomicBoolean pausing = new AtomicBoolean();
    private volatile Stopped stopped;

    public ConnectorStop(KafkaClientService clients) {
        this.clients = clients;
    }

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
        pause();
    }

    /**
     * Pauses every source partition. Called again for each record that still arrives (buffered before the pause,
     * or from partitions assigned or resumed since), so a rebalance cannot restart consumption.
     */
    void pause() {
        if (!pausing.compareAndSet(false, true)) return;
        for (KafkaConsumer<Object, Object> consumer : clients.<Object, Object>getConsumers("source")) {
            consumer.runOnPollingThread(c -> {
                c.pause(c.assignment());
            }).subscribe().with(ok -> pausing.set(false), failure -> {
                pausing.set(false);
                LOG.warnf("could not pause the source consumer: %s", failure.toString());
            });
        }
    }
}
