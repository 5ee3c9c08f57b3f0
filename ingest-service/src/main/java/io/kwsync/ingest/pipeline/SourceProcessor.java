package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.kafka.Origins;
import io.kwsync.ingest.publish.RowsPublisher;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streaming path, one poll of the source topics at a time: each source record becomes either a RowEvent on the
 * rows topic or, when dirty, its original bytes on the error topic, both sent by the service's one publisher
 * ({@link RowsPublisher}, with a producer of this path's own). A batch's records are acknowledged (their offsets become committable) only once the broker
 * has acknowledged every send of the batch, and only after every earlier batch's records were acknowledged, so a
 * committed offset never passes a record whose row or dead letter is not durable. A failed send nacks its batch (the
 * channel fails, nothing from it on is committed, a restart reads it again) and every later one.
 * <p>
 * When the failure policy stops the connector, the stopping record and all that follow are held: never published
 * nor acknowledged. The records of the same batch before it are acknowledged as usual, once their sends completed.
 * <p>
 * A record whose schema cannot be fetched because the registry is unreachable waits in place ({@link RegistryWait}):
 * the records after it wait behind it, so nothing past it is acknowledged.
 * <p>
 * Per-record messaging (a Message, an ack and an emitter send per record) cost most of this service's CPU; a batch
 * costs one invocation, and the records before the acknowledgement are plain Kafka producer sends.
 */
@ApplicationScoped
public class SourceProcessor {

    private static final Logger LOG = Logger.getLogger(SourceProcessor.class);

    private final RowsPublisher publisher;
    private final IngestMetrics metrics;
    private final DirtyRecordPolicy policy;
    private final ConnectorStop stop;
    private final RegistryWait registry;
    /**
     * Per source partition, the consumer generation and the offset of the last row published: the row each new row is
     * chained after ({@link RowEvent#chainedAfter()}), so a sink never writes a row whose predecessor's send failed.
     * A new generation (a rebalance) or an offset not past the last one (a re-read) starts a new chain.
     */
    private final Map<TopicPartition, long[]> chains = new HashMap<>();
    /** Completes once the previous batch's records were acknowledged; fails once any batch failed. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    public SourceProcessor(RowsPublisher publisher, IngestMetrics metrics, DirtyRecordPolicy policy, ConnectorStop stop,
                           RegistryWait registry) {
        this.publisher = publisher;
        this.registry = registry;
        this.metrics = metrics;
        this.policy = policy;
        this.stop = stop;
    }

    /**
     * Runs on a worker thread, one batch at a time in order (a send may block while the producer's buffer is full,
     * which must not happen on an event-loop thread). Returns once the previous batch is acknowledged, so at most
     * two batches are in flight: this one being sent while the one before completes.
     */
    @Incoming("source")
    @Blocking
    public synchronized CompletionStage<Void> process(KafkaRecordBatch<byte[], byte[]> batch) {
        List<KafkaRecord<byte[], byte[]>> records = batch.getRecords();
        metrics.consumed(records.size());
        Sends sends = new Sends(metrics);
        Batch caller = new Batch(sends);
        Map<TopicPartition, KafkaRecord<byte[], byte[]>> last = new LinkedHashMap<>();
        try {
            for (KafkaRecord<byte[], byte[]> in : records) {
                if (sends.failed() || previous.isCompletedExceptionally()) break; // nacked below; nothing more to send
                if (stop.isStopped()) {
                    hold();
                    continue;
                }
                IncomingKafkaRecord<byte[], byte[]> record = (IncomingKafkaRecord<byte[], byte[]>) in; // what a Kafka batch holds
                Origin origin = Origins.of(record);
                TopicPartition tp = new TopicPartition(origin.topic(), origin.partition());
                long[] chain = chains.get(tp);
                long generation = record.getConsumerGroupGenerationId();
                long after = chain != null && chain[0] == generation && chain[1] < origin.offset() ? chain[1] : -1;
                RowsPublisher.Outcome outcome = registry.retrying(() -> publisher.publish(origin, in.getPayload(), after, caller),
                        () -> sends.failed() || previous.isCompletedExceptionally());
                if (outcome != RowsPublisher.Outcome.HELD) last.put(tp, in);
                if (outcome == RowsPublisher.Outcome.ROW) chains.put(tp, new long[]{generation, origin.offset()});
            }
        } catch (RuntimeException e) { // the producer refused a send (closed, buffer full past max.block.ms, ...)
            sends.fail(e);
            sends.count(); // a refused send never calls back: what was acknowledged so far is counted now
        }
        CompletableFuture<Void> before = previous;
        CompletableFuture<Void> acked = sends.arm().thenCombine(before, (a, b) -> b).thenCompose(v -> ack(last.values()));
        acked.whenComplete((v, e) -> {
            if (e != null) batch.nack(unwrap(e));
        });
        previous = acked;
        return before.handle((v, e) -> null);
    }

    /**
     * This path's part in publishing a batch: counts, applies the failure policy to dirty records (a record that stops
     * the connector is held: neither dead-lettered nor acknowledged), and joins every send to the batch's {@link Sends}.
     */
    private final class Batch implements RowsPublisher.Caller {
        private final Sends sends;

        Batch(Sends sends) {
            this.sends = sends;
        }

        @Override
        public boolean dirty(Origin origin, DirtyRecordException e) {
            metrics.dirty(e.stage());
            if (policy.stops(origin.coordinates())) {
                stop.stop(origin, e, policy.why());
                hold();
                return false;
            }
            LOG.debugf("dirty record %s: %s", origin.coordinates(), e.getMessage());
            return true;
        }

        @Override
        public Callback sendingRow() {
            return sends.row();
        }

        @Override
        public Callback sendingDeadLetter() {
            return sends.deadLetter();
        }
    }

    /**
     * Acknowledges the last published record of each source partition: the commit strategy (latest) then commits
     * past it, and so past every record of the batch before it. Issued in batch order, so commits only move forward.
     */
    private static CompletionStage<Void> ack(Iterable<KafkaRecord<byte[], byte[]>> lastOfEachPartition) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (KafkaRecord<byte[], byte[]> r : lastOfEachPartition) {
            acks.add(r.ack().toCompletableFuture());
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** Neither published nor acknowledged: its offset is never committed, so a restart reads it again. */
    private void hold() {
        metrics.held();
        stop.pause();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * The sends of one batch: completes when the broker acknowledged all of them, fails at the first failure. Counts
     * the acknowledged rows and dead letters and adds them to the metrics once per batch (when the last callback
     * came, or, once the batch failed, at each later callback), not once per record: a meter update per record cost
     * the producer's I/O thread a fifth of its time. Every acknowledged send is counted exactly once.
     */
    private static final class Sends {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicInteger pending = new AtomicInteger(1); // 1 until armed: no completion while sending
        private final AtomicInteger rows = new AtomicInteger();
        private final AtomicInteger deadLetters = new AtomicInteger();
        private final IngestMetrics metrics;
        // one callback object per batch and kind: the outcome of a send is all a callback needs
        private final Callback rowSent = (metadata, e) -> completed(e, rows);
        private final Callback deadLetterSent = (metadata, e) -> completed(e, deadLetters);

        Sends(IngestMetrics metrics) {
            this.metrics = metrics;
        }

        Callback row() {
            pending.incrementAndGet();
            return rowSent;
        }

        Callback deadLetter() {
            pending.incrementAndGet();
            return deadLetterSent;
        }

        private void completed(Exception e, AtomicInteger acknowledged) {
            if (e != null) {
                fail(e);
            } else {
                acknowledged.incrementAndGet();
            }
            if (pending.decrementAndGet() == 0) {
                done.complete(null); // no effect once failed
                count();
            } else if (failed()) {
                count();
            }
        }

        /** Adds the acknowledgements not yet counted to the metrics (each one once: taken with getAndSet). */
        void count() {
            int r = rows.getAndSet(0);
            if (r > 0) metrics.published(r);
            int d = deadLetters.getAndSet(0);
            if (d > 0) metrics.deadLettered(d);
        }

        void fail(Throwable e) {
            done.completeExceptionally(e);
        }

        boolean failed() {
            return done.isCompletedExceptionally();
        }

        /** Every send of the batch was issued. */
        CompletableFuture<Void> arm() {
            if (pending.decrementAndGet() == 0) {
                done.complete(null);
                count();
            }
            return done;
        }
    }
}
