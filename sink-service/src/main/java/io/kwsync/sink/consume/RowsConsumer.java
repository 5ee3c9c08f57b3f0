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
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the rows topic in poll-sized batches, gathers them until the batch is big or old enough, writes them through
 * the {@link RowSink}, and only then acknowledges them, so a consumer offset is never committed ahead of the
 * destination. One writer thread owns the pending batch; while it writes, the next poll waits (backpressure), so
 * memory stays bounded by one batch plus one poll.
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

    private final List<KafkaRecordBatch<byte[], byte[]>> pendingBatches = new ArrayList<>();
    private final List<RowEvent> pendingRows = new ArrayList<>();
    private final List<JobItem> pendingJobItems = new ArrayList<>();
    private long oldestMillis;

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
        return CompletableFuture.runAsync(() -> accept(batch), writer);
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
        if (pendingBatches.isEmpty()) oldestMillis = clock.millis();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                if (JobMarkerCodec.isMarker(r.value())) {
                    pendingJobItems.add(new JobItem.Marker(r.partition(), r.offset(), JobMarkerCodec.decode(r.value())));
                    continue;
                }
                RowEvent row = RowEventCodec.decode(r.value());
                if (row.jobId() != null) pendingJobItems.add(new JobItem.Row(r.partition(), r.offset(), row));
                else pendingRows.add(row);
            } catch (MalformedRowEventException e) {
                Origin origin = new Origin(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), List.of());
                LOG.warnf("undecodable record on the rows topic at %s: %s", origin.coordinates(), e.getMessage());
                deadLetters.publishRaw(origin, r.value(),
                        new DirtyRecordException(DirtyRecordException.Stage.DECODE, "not a row event", e));
            }
        }
        pendingBatches.add(batch);
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
            if (!pendingBatches.isEmpty() && clock.millis() - oldestMillis >= maxAge.toMillis()) flush();
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in the batch timer", e);
        }
    }

    /** Writes what is pending, retrying while the destination is unavailable, then acknowledges it. */
    private void flush() {
        if (pendingBatches.isEmpty() || state.failure() != null || state.stopped() != null) return;
        RowSink.RejectHandler rejects = stopOnRefused ? RowsConsumer::refuse : deadLetters;
        long deadline = clock.millis() + retryTimeout.toMillis();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            long start = System.nanoTime();
            try {
                if (!pendingRows.isEmpty()) {
                    WriteResult result = sink.write(pendingRows, rejects);
                    metrics.flushed(pendingRows.size(), result, System.nanoTime() - start);
                    metrics.tables(pendingRows);
                }
                jobs.load(pendingJobItems, rejects); // idempotent, like the write above, if retried
                if (state.destinationError() != null) LOG.infof("the destination takes the batch again (%d rows)", pendingRows.size());
                state.destinationWorks();
                break;
            } catch (SinkException | RuntimeException e) {
                RowsRefused refused = RowsRefused.in(e);
                if (refused != null) {
                    stop(refused);
                    return;
                }
                boolean retriable = !(e instanceof SinkException se) || se.retriable();
                boolean waiting = e instanceof SinkException se && se.waiting(); // for an operator: no deadline
                if (!retriable || !waiting && clock.millis() + backoff.toMillis() > deadline) {
                    fail(e);
                    return;
                }
                metrics.retried();
                if (waiting && !e.getMessage().equals(state.destinationError())) LOG.error(e.getMessage());
                else if (!waiting) LOG.warnf("writing %d rows failed, retrying in %d ms: %s", pendingRows.size(), backoff.toMillis(), e.getMessage());
                state.destinationFails(e.getMessage());
                if (!pause(backoff)) return;
                backoff = backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
            }
        }
        pendingBatches.forEach(KafkaRecordBatch::ack);
        pendingBatches.clear();
        pendingRows.clear();
        pendingJobItems.clear();
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
        pendingBatches.clear();
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
        LOG.errorf(e, "giving up on a batch of %d rows; the service stops consuming", pendingRows.size());
        state.failed(e);
        pendingBatches.forEach(b -> b.nack(e));
        pendingBatches.clear();
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
     * On shutdown (SIGTERM), write and acknowledge what is pending within KWSYNC_SINK_SHUTDOWN_TIMEOUT; the consumer
     * commits the acknowledged offsets when the channel closes right after.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        long start = System.nanoTime();
        try {
            writer.submit(this::flush).get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("pending rows written at shutdown in %d ms", (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            LOG.warnf("pending rows not flushed at shutdown (%s); they will be re-read on restart", e.toString());
        } finally {
            writer.shutdownNow();
        }
    }
}
