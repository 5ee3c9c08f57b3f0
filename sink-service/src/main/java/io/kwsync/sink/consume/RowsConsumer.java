package io.kwsync.sink.consume;

import io.quarkus.runtime.Startup;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.MalformedRowEventException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.runtime.config.ServiceConfig;
import io.kwsync.sink.job.JobItem;
import io.kwsync.sink.job.JobLoads;
import io.kwsync.model.job.JobMarkerCodec;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the rows topic in poll-sized batches, gathers them until the batch is big or old enough, writes them through
 * the {@link RowSink}, and acknowledges them only once the sink says the write holding them is durable
 * ({@link RowSink#commitDue}), so a consumer offset is never committed ahead of the destination. One writer thread
 * owns the pending batch; while it writes, the next poll waits (backpressure), so memory stays bounded by one batch
 * plus one poll, and of the batches written but not yet durable only their last record per partition is kept
 * ({@link AckLedger}). While the sink holds rows open, the timer asks it to commit what is due; before partitions are
 * handed to another replica ({@link #handOver}) and at shutdown, everything is committed.
 *
 * <p>A batch is cut only between polls, never inside a rows-topic record, so the several rows of one source record
 * (one record since format version 4) are always written by the same write; KWSYNC_SINK_BATCH_MAX_ROWS counts rows
 * and may be passed by the rows of the record that reaches it.
 *
 * <p>Rows and markers of window-job runs (rows with a job id) are not written here but handed to {@link JobLoads},
 * which stages them and replaces the run's partitions at once; streaming rows never mix with them.
 */
@ApplicationScoped
@Startup
public class RowsConsumer {

    private static final Logger LOG = Logger.getLogger(RowsConsumer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final RowSink sink;
    private final JobLoads jobs;
    private final DeadLetters deadLetters;
    private final SinkMetrics metrics;
    private final SinkState state;
    private final Clock clock;
    private final int maxRows;
    private final Duration maxAge;
    private final Duration backoffMax;
    private final Duration retryTimeout;
    private final Duration shutdownTimeout;
    private final boolean stopOnRefused;
    private final KafkaClientService clients;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kwsync-writer");
        t.setDaemon(true);
        return t;
    });

    private final List<RowEvent> pendingRows = new ArrayList<>();
    private final List<JobItem> pendingJobItems = new ArrayList<>();
    private final AckLedger acks = new AckLedger();
    private long oldestMillis;
    /** Writes that returned normally, and how many of them the sink reported durable; read by the hand-over too. */
    private volatile long writes;
    private volatile long durable;

    public RowsConsumer(RowSink sink, DeadLetters deadLetters, SinkMetrics metrics, SinkState state, Clock clock,
                        SinkConfig config, JobLoads jobs, KafkaClientService clients) {
        this.sink = sink;
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.state = state;
        this.clock = clock;
        this.maxRows = config.sink().batchMaxRows();
        this.maxAge = config.sink().batchMaxAge();
        this.backoffMax = config.sink().retryBackoffMax();
        this.retryTimeout = config.sink().retryTimeout();
        this.shutdownTimeout = config.sink().shutdownTimeout();
        this.stopOnRefused = config.failure().policy() == ServiceConfig.FailurePolicy.STOP;
        this.clients = clients;
    }

    @PostConstruct
    void startTimer() {
        long tick = Math.max(10, Math.min(250, maxAge.toMillis() / 4));
        writer.scheduleWithFixedDelay(this::flushIfOld, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Incoming("rows")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> onBatch(KafkaRecordBatch<byte[], byte[]> batch) {
        return CompletableFuture.runAsync(() -> {
            try {
                accept(batch);
            } catch (Error e) {
                fail(new IllegalStateException("writing a batch failed: " + e, e)); // liveness DOWN, not a silent stall
                throw e;
            }
        }, writer);
    }

    private void accept(KafkaRecordBatch<byte[], byte[]> batch) {
        if (state.stopped() != null) {
            pause(); // held: neither written nor acknowledged, so read again after a restart
            return;
        }
        if (state.failure() != null) {
            batch.nack(state.failure());
            return;
        }
        ConsumerRecords<byte[], byte[]> records = rawRecords(batch);
        metrics.consumed(records.count());
        if (!acks.holding()) oldestMillis = clock.millis();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                if (JobMarkerCodec.isMarker(r.value())) {
                    pendingJobItems.add(new JobItem.Marker(r.partition(), r.offset(), JobMarkerCodec.decode(r.value())));
                    continue;
                }
                List<RowEvent> rows = RowEventCodec.decodeAll(r.value());
                RowEvent row = rows.get(0);
                if (row.jobId() == null) {
                    if (rows.size() == 1) pendingRows.add(row); // addAll would copy the one-row list into an array first
                    else pendingRows.addAll(rows); // a record's rows stay next to each other, in one write
                } else if (rows.size() == 1) {
                    pendingJobItems.add(new JobItem.Row(r.partition(), r.offset(), row));
                } else {
                    throw new MalformedRowEventException("a window-job record of " + rows.size() + " rows (runs take one row per record)");
                }
            } catch (MalformedRowEventException e) {
                Origin origin = new Origin(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), List.of());
                LOG.warnf("undecodable record on the rows topic at %s: %s", origin.coordinates(), e.getMessage());
                deadLetters.publishRaw(origin, r.value(),
                        new DirtyRecordException(DirtyRecordException.Stage.DECODE, "not a row event", e));
            }
        }
        acks.hold(batch); // from here on, only the records to acknowledge are kept of the poll
        if (pendingRows.size() + pendingJobItems.size() >= maxRows) flush();
    }

    /** The poll's records as the Kafka client returned them, without the per-record message wrappers. */
    @SuppressWarnings("unchecked")
    private static ConsumerRecords<byte[], byte[]> rawRecords(KafkaRecordBatch<byte[], byte[]> batch) {
        return batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .map(m -> (ConsumerRecords<byte[], byte[]>) m.getRecords())
                .orElseThrow(() -> new IllegalStateException("a batch of the rows channel without its consumer records"));
    }

    private void flushIfOld() {
        try {
            if (acks.holding() && clock.millis() - oldestMillis >= maxAge.toMillis()) flush();
            else if (holdsOpenRows()) commitDue(false);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in the batch timer", e);
        } catch (Error e) {
            // escaping, it would end this periodic task without a trace: no batch would ever be flushed by age again
            // while health says UP; give up instead, so that liveness says why and the service is restarted
            fail(new IllegalStateException("the batch timer failed: " + e, e));
        }
    }

    /** Writes what is pending, retrying while the destination is unavailable, then acknowledges what is durable. */
    private void flush() {
        if (!acks.holding() || state.failure() != null || state.stopped() != null) return;
        RowSink.RejectHandler rejects = stopOnRefused ? RowsConsumer::refuse : deadLetters;
        boolean wrote = retrying(pendingRows.size(), () -> {
            long start = System.nanoTime();
            if (!pendingRows.isEmpty()) {
                WriteResult result = sink.write(pendingRows, rejects);
                writes++;
                metrics.flushed(pendingRows.size(), result, System.nanoTime() - start);
                metrics.tables(pendingRows);
                pendingRows.clear(); // written: a failure of the job items below must not write them again
            }
            jobs.load(pendingJobItems, rejects); // idempotent, like the write above, if retried
        });
        if (!wrote) return;
        acks.written(writes);
        pendingJobItems.clear();
        commitDue(false);
    }

    /** Whether written rows wait for the destination's commit. */
    private boolean holdsOpenRows() {
        return durable < writes;
    }

    /** Lets the sink commit what is due (everything when asked), then acknowledges the writes it reports durable. */
    private boolean commitDue(boolean everything) {
        if (state.failure() != null || (!everything && !holdsOpenRows())) return state.failure() == null;
        boolean ok = retrying(0, () -> {
            long d = sink.commitDue(everything);
            durable = Math.min(d, writes);
        });
        acks.ackThrough(durable);
        return ok;
    }

    /** A write or commit of the destination, retried. */
    @FunctionalInterface
    private interface DestinationCall {
        void run() throws SinkException;
    }

    /**
     * Runs a call, retrying with backoff while the destination is unavailable, until KWSYNC_SINK_RETRY_TIMEOUT; then,
     * or on a failure no retry can fix, the sink gives up (liveness DOWN). False when it did not succeed.
     */
    private boolean retrying(int rows, DestinationCall call) {
        long deadline = clock.millis() + retryTimeout.toMillis();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                call.run();
                if (state.destinationError() != null) LOG.infof("the destination works again (%s)", rows > 0 ? rows + " rows written" : "held rows committed");
                state.destinationWorks();
                return true;
            } catch (SinkException | RuntimeException e) {
                RowsRefused refused = RowsRefused.in(e);
                if (refused != null) {
                    stop(refused);
                    return false;
                }
                boolean retriable = !(e instanceof SinkException se) || se.retriable();
                boolean waiting = e instanceof SinkException se && se.waiting(); // for an operator: no deadline
                if (!retriable || !waiting && clock.millis() + backoff.toMillis() > deadline || state.failure() != null) {
                    fail(e);
                    return false;
                }
                metrics.retried();
                if (waiting && !e.getMessage().equals(state.destinationError())) LOG.error(e.getMessage());
                else if (!waiting) LOG.warnf("%s failed, retrying in %d ms: %s", rows > 0 ? "writing " + rows + " rows" : "committing held rows",
                        backoff.toMillis(), e.getMessage());
                state.destinationFails(e.getMessage());
                if (!pause(backoff)) return false;
                backoff = backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
            }
        }
    }

    private static void refuse(List<Rejected> rejected) {
        throw new RowsRefused(rejected);
    }

    /**
     * KWSYNC_FAILURE_POLICY=stop and the destination refused rows: nothing of the batch was committed; it and all that
     * follows stay unacknowledged (read again after a restart), the consumer is paused, readiness says why.
     */
    private void stop(RowsRefused refused) {
        LOG.errorf("sink stopped (KWSYNC_FAILURE_POLICY is stop): %s; the batch is not written and is read again after"
                + " a restart", refused.getMessage());
        state.stopped(new SinkState.Stopped(refused.record(), refused.reason()));
        acks.dropHeld();
        pendingRows.clear();
        pendingJobItems.clear();
        pause();
    }

    /** Pauses every assigned partition of the rows consumer; repeated for batches that still arrive. */
    private void pause() {
        for (KafkaConsumer<Object, Object> consumer : clients.<Object, Object>getConsumers("rows")) {
            consumer.runOnPollingThread(c -> {
                c.pause(c.assignment());
            }).subscribe().with(ok -> { }, failure -> LOG.warnf("could not pause the rows consumer: %s", failure.toString()));
        }
    }

    private void fail(Exception e) {
        if (state.failure() != null) return;
        LOG.errorf(e, "giving up on a batch of %d rows; the service stops consuming", pendingRows.size());
        state.failed(e);
        acks.nackAll(e);
        pendingRows.clear();
        pendingJobItems.clear();
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // the writer thread waits between attempts; the consumer waits on it
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Before partitions of the rows topic go to another replica (a rebalance, on the consumer's polling thread): writes
     * what is pending and commits everything the sink holds, within KWSYNC_SINK_SHUTDOWN_TIMEOUT, and returns the
     * offsets to commit for those partitions. When the sink still holds rows it could not commit by then, the writer
     * gives up (liveness DOWN): committed later, they could land beside the new owner's copy of them; after the
     * restart they are read again by whoever owns them.
     */
    Map<TopicPartition, Long> handOver(Collection<TopicPartition> partitions) {
        if (writer.isShutdown()) return Map.of(); // the channel closes after the shutdown committed what was held
        long start = System.nanoTime();
        try {
            Map<TopicPartition, Long> offsets = writer.submit(() -> commitBeforeHandOver(partitions))
                    .get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("partitions %s handed over after %d ms: what they held is committed", partitions, (System.nanoTime() - start) / 1_000_000);
            return offsets;
        } catch (RejectedExecutionException e) {
            return Map.of();
        } catch (Exception e) {
            if (holdsOpenRows()) {
                state.failed(new SinkException("could not commit the rows held in the destination within"
                        + " KWSYNC_SINK_SHUTDOWN_TIMEOUT before partitions " + partitions + " were handed to another replica", true, e));
            }
            LOG.warnf("partitions %s handed over without committing what they hold (%s); the next owner reads them again",
                    partitions, e.toString());
            return Map.of();
        }
    }

    /** On the writer thread: writes and commits everything, and tells the offsets now safe for those partitions. */
    private Map<TopicPartition, Long> commitBeforeHandOver(Collection<TopicPartition> partitions) {
        flush();
        Map<TopicPartition, Long> offsets = commitDue(true) ? acks.committable(partitions) : Map.of();
        acks.forget(partitions);
        return offsets;
    }

    /**
     * On shutdown (SIGTERM), write what is pending and commit everything the sink holds within
     * KWSYNC_SINK_SHUTDOWN_TIMEOUT, acknowledging it; the consumer commits the acknowledged offsets when the channel
     * closes right after.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        long start = System.nanoTime();
        try {
            writer.submit(() -> {
                flush();
                commitDue(true);
            }).get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("pending rows written at shutdown in %d ms", (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            LOG.warnf("pending rows not flushed at shutdown (%s); they will be re-read on restart", e.toString());
        } finally {
            writer.shutdownNow();
        }
    }
}
