package io.kwsync.ingest.pipeline;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One source consumer and the thread that polls it and publishes what it polled ({@link SourceProcessor}), so a record
 * is read, mapped and sent by one thread with no hand-over. The delivery rules:
 * <ul>
 *   <li>A poll's offsets are committed only after the broker acknowledged every send of the poll and of every earlier
 *   poll ({@link SourceBatch}); commits only move forward ({@link SourceOffsets}).</li>
 *   <li>At most two polls are in flight: after publishing a poll the loop waits for the one before it.</li>
 *   <li>A failed send ends the loop: nothing from that poll on is committed, the consumer is closed and liveness is
 *   DOWN ({@link #state()}), so the pod is restarted and reads the records again.</li>
 *   <li>Once the connector is stopped ({@link ConnectorStop}) the loop pauses its partitions, also those assigned to it
 *   later, and goes on polling (nothing) so it keeps its place in the group.</li>
 *   <li>On revocation the poll in flight is awaited (bounded), what is durable is committed synchronously (bounded)
 *   and the revoked partitions' state is dropped; lost partitions are dropped without a commit.</li>
 *   <li>On shutdown the loop stops polling, awaits the poll in flight, commits and closes, each step bounded.</li>
 * </ul>
 * Every wait has a deadline; one that passes ends in the give-up path above.
 */
final class SourceLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(SourceLoop.class);
    static final Duration POLL = Duration.ofMillis(500);
    /** Longer than the producer's delivery.timeout.ms (120 s), which ends every send with a callback. */
    static final Duration AWAIT_SENDS = Duration.ofSeconds(130);
    /** At revocation and shutdown: the group (or the pod) does not wait longer. */
    static final Duration AWAIT_SENDS_BRIEFLY = Duration.ofSeconds(20);
    static final Duration COMMIT = Duration.ofSeconds(10);
    static final Duration CLOSE = Duration.ofSeconds(10);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final java.util.function.Consumer<ConsumerRebalanceListener> subscribe;
    private final SourceProcessor processor;
    private final ConnectorStop stop;
    private final Clock clock;
    private final Runnable closed;
    private final Map<TopicPartition, long[]> chains = new HashMap<>();
    private final SourceOffsets offsets;
    private SourceBatch inFlight;
    private boolean paused;
    private volatile boolean running = true;
    private volatile long lastPoll = -1;
    private volatile boolean joined;
    private volatile Throwable failure;

    /**
     * @param subscribe subscribes the consumer (to the topics or the pattern) with the given listener
     * @param closed    run once the consumer is closed (unbinds its metrics)
     */
    SourceLoop(String name, Consumer<byte[], byte[]> consumer,
               java.util.function.Consumer<ConsumerRebalanceListener> subscribe, SourceProcessor processor, ConnectorStop stop, Clock clock,
               Runnable closed) {
        this.name = name;
        this.consumer = consumer;
        this.subscribe = subscribe;
        this.processor = processor;
        this.stop = stop;
        this.clock = clock;
        this.closed = closed;
        this.offsets = new SourceOffsets(consumer, COMMIT);
    }

    @Override
    public void run() {
        try {
            subscribe.accept(new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                lastPoll = clock.millis();
                int generation = consumer.groupMetadata().generationId();
                joined = generation > 0;
                if (stop.isStopped() && !paused) pause(consumer.assignment());
                if (!records.isEmpty()) {
                    SourceBatch batch = processor.publish(records, generation, chains, this::abandoned);
                    settle(running ? AWAIT_SENDS : AWAIT_SENDS_BRIEFLY); // the poll before: at most two in flight
                    inFlight = batch;
                }
                if (inFlight != null && inFlight.completion().isDone()) settle(Duration.ZERO);
            }
            settle(AWAIT_SENDS_BRIEFLY);
            commitQuietly();
        } catch (SendFailed e) {
            if (running) {
                failure = e.getCause();
                LOG.errorf("source consumer %s stopped: a send to the rows or error topic failed (%s); nothing from that"
                        + " poll on is committed, the records are read again after a restart", name, e.getCause().toString());
            }
            commitQuietly();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "source consumer %s stopped", name);
            commitQuietly();
        } finally {
            try {
                consumer.close(CLOSE);
            } catch (RuntimeException e) {
                LOG.warnf("source consumer %s did not close cleanly: %s", name, e.toString());
            }
            closed.run();
        }
    }

    /** Asks the loop to end after its current poll (at most {@link #POLL} plus the publishing of one poll). */
    void shutdown() {
        running = false;
    }

    /** For the health checks; the failure is set only when the loop ended on its own, not when shut down. */
    SourceState state() {
        return new SourceState(name, lastPoll, joined, failure);
    }

    private boolean abandoned() {
        return !running || inFlight != null && inFlight.failed();
    }

    /**
     * Waits for the poll in flight, then makes its offsets committable and commits them (asynchronously).
     *
     * @throws SendFailed when one of its sends failed, or when it did not complete within the deadline
     */
    private void settle(Duration deadline) {
        if (inFlight == null) return;
        SourceBatch batch = inFlight;
        try {
            batch.completion().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SendFailed(e.getCause());
        } catch (TimeoutException e) {
            throw new SendFailed(new TimeoutException("the broker acknowledged no send of a poll within " + deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendFailed(e);
        }
        inFlight = null;
        offsets.durable(batch.next());
        offsets.commitAsync();
    }

    private void commitQuietly() {
        try {
            offsets.commitSync();
        } catch (RuntimeException e) {
            LOG.warnf("source consumer %s could not commit its last offsets: %s", name, e.toString());
        }
    }

    private void pause(Collection<TopicPartition> partitions) {
        consumer.pause(partitions);
        paused = true;
    }

    /** Runs inside {@link Consumer#poll}, on the loop's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            try {
                settle(AWAIT_SENDS_BRIEFLY);
            } catch (SendFailed e) {
                // not committed; the loop ends after this poll (its failure is the batch's)
                if (inFlight != null) inFlight.next().keySet().removeAll(partitions);
                if (e.getCause() instanceof TimeoutException) {
                    LOG.warnf("source consumer %s: %s before giving up partitions %s; the next owner reads them again",
                            name, e.getCause().getMessage(), partitions);
                }
            }
            try {
                offsets.commitSync();
            } catch (KafkaException e) {
                LOG.warnf("source consumer %s could not commit before giving up partitions %s (%s); the next owner reads"
                        + " their last records again", name, partitions, e.toString());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (inFlight != null) inFlight.next().keySet().removeAll(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (stop.isStopped()) pause(partitions); // a stopped connector stays paused across rebalances
        }

        private void forget(Collection<TopicPartition> partitions) {
            offsets.forget(partitions);
            chains.keySet().removeAll(partitions);
        }
    }

    /** A send of a poll failed or was not acknowledged in time: the loop ends. */
    private static final class SendFailed extends RuntimeException {
        SendFailed(Throwable cause) {
            super(cause);
        }
    }
}
