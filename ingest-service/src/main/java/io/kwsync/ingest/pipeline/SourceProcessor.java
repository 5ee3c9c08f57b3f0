package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.kafka.Origins;
import io.kwsync.ingest.publish.RowsPublisher;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The streaming path's work on one poll of the source topics, on the thread that polled it ({@link SourceLoop}): each
 * source record becomes either a RowEvent on the rows topic or, when dirty, its original bytes on the error topic,
 * both sent by the service's one publisher ({@link RowsPublisher}, with a producer of this path's own). The returned
 * {@link SourceBatch} completes once the broker acknowledged every send of the poll; only then, and only after every
 * earlier poll of the same consumer completed, does the loop commit past its records, so a committed offset never
 * passes a record whose row or dead letter is not durable. After a failed send nothing more of the poll is sent.
 * <p>
 * When the failure policy stops the connector, the stopping record and all that follow are held: never published,
 * never made committable (the loop pauses its partitions). The records of the same poll before it become committable
 * as usual, once their sends completed.
 * <p>
 * A record whose schema cannot be fetched because the registry is unreachable waits in place ({@link RegistryWait}):
 * the records after it wait behind it, so nothing past it becomes committable.
 * <p>
 * Polls of several consumer threads are published one at a time (the mapping is not shared between threads).
 */
@Singleton
public class SourceProcessor {

    private static final Logger LOG = Logger.getLogger(SourceProcessor.class);

    private final RowsPublisher publisher;
    private final IngestMetrics metrics;
    private final DirtyRecordPolicy policy;
    private final ConnectorStop stop;
    private final RegistryWait registry;

    public SourceProcessor(RowsPublisher publisher, IngestMetrics metrics, DirtyRecordPolicy policy, ConnectorStop stop,
                           RegistryWait registry) {
        this.publisher = publisher;
        this.registry = registry;
        this.metrics = metrics;
        this.policy = policy;
        this.stop = stop;
    }

    /**
     * Publishes one poll. Returns once every send was issued (a send may block while the producer's buffer is full).
     *
     * @param generation the consumer group generation the poll was read in
     * @param chains     per source partition, the consumer generation and the offset of the last row published: the
     *                   row each new row is chained after ({@link RowEvent#chainedAfter()}), so a sink never writes a
     *                   row whose predecessor's send failed. A new generation (a rebalance) or an offset not past the
     *                   last one (a re-read) starts a new chain. Updated here.
     * @param abandon    true once the caller no longer wants this poll (an earlier poll failed, shutdown): a record
     *                   waiting for the schema registry gives up
     */
    public synchronized SourceBatch publish(ConsumerRecords<byte[], byte[]> records, int generation,
                                            Map<TopicPartition, long[]> chains, BooleanSupplier abandon) {
        metrics.consumed(records.count());
        SourceBatch batch = new SourceBatch(metrics);
        Caller caller = new Caller(batch);
        BooleanSupplier giveUp = () -> batch.failed() || abandon.getAsBoolean();
        try {
            for (TopicPartition tp : records.partitions()) {
                long[] chain = chains.get(tp);
                for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                    if (giveUp.getAsBoolean()) return batch.arm(); // failed: nothing more to send
                    if (stop.isStopped()) {
                        metrics.held();
                        continue;
                    }
                    Origin origin = Origins.of(record);
                    long offset = record.offset();
                    long after = chain != null && chain[0] == generation && chain[1] < offset ? chain[1] : -1;
                    RowsPublisher.Outcome outcome = registry.retrying(
                            () -> publisher.publish(origin, record.value(), after, caller), giveUp);
                    if (outcome != RowsPublisher.Outcome.HELD) batch.done(tp, offset);
                    if (outcome == RowsPublisher.Outcome.ROW) {
                        chain = new long[]{generation, offset};
                        chains.put(tp, chain);
                    }
                }
            }
        } catch (RuntimeException e) { // the producer refused a send (closed, buffer full past max.block.ms, ...)
            batch.fail(e);
            batch.count(); // a refused send never calls back: what was acknowledged so far is counted now
        }
        return batch.arm();
    }

    /**
     * This path's part in publishing a poll: counts, applies the failure policy to dirty records (a record that stops
     * the connector is held: neither dead-lettered nor made committable), and joins every send to the poll's batch.
     */
    private final class Caller implements RowsPublisher.Caller {
        private final SourceBatch batch;

        Caller(SourceBatch batch) {
            this.batch = batch;
        }

        @Override
        public boolean dirty(Origin origin, DirtyRecordException e) {
            metrics.dirty(e.stage());
            if (policy.stops(origin.coordinates())) {
                stop.stop(origin, e, policy.why());
                metrics.held();
                return false;
            }
            LOG.debugf("dirty record %s: %s", origin.coordinates(), e.getMessage());
            return true;
        }

        @Override
        public Callback sendingRow() {
            return batch.row();
        }

        @Override
        public Callback sendingDeadLetter() {
            return batch.deadLetter();
        }
    }
}
