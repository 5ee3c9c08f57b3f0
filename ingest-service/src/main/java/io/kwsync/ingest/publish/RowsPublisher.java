package io.kwsync.ingest.publish;

import io.kwsync.ingest.convert.RecordMapper;
import io.kwsync.ingest.kafka.Origins;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RecordSize;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.JobMarkerCodec;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way records leave ingest-service, for the streaming path and window-job runs alike: a source record is
 * mapped to its row, or rows ({@link RecordMapper#mapAll}: all of them in one rows-topic record), encoded and sent to the rows partition of its source partition
 * ({@link RowsRouting}); a record that cannot become a row goes, unless its caller holds it, to the error topic as its
 * original bytes with its origin and the reason ({@link DeadLetter}). Job markers go through the same producer, so
 * in every rows partition a run's END marker follows the run's rows.
 *
 * <p>Sends are asynchronous; the caller supplies the callbacks ({@link Caller}) and decides what an acknowledgement
 * means to it (the streaming path acknowledges source offsets, a job run counts and waits).
 */
public final class RowsPublisher implements AutoCloseable {

    /** What became of one record. */
    public enum Outcome {
        /** Its row was sent to the rows topic. */
        ROW,
        /** It was dirty and its original bytes were sent to the error topic. */
        DEAD_LETTER,
        /** It was dirty and the caller holds it: nothing was sent. */
        HELD,
        /** It changes no row (a skipped change event): nothing was sent, and it is done with. */
        SKIPPED
    }

    /** The caller's part in publishing a record. */
    public interface Caller {

        /** The row to send for a mapped record: as mapped, or re-addressed (a job run's partition and run id). */
        default RowEvent row(RowEvent mapped) {
            return mapped;
        }

        /**
         * Whether a record may change several rows (a Canal message of several rows), all sent in one rows-topic
         * record; when not, such a record is dirty. Window-job runs count and stage one row per rows-topic record.
         */
        default boolean takesSeveralRows() {
            return true;
        }

        /**
         * A record turned out dirty (counted here); true sends it to the error topic, false holds it (the failure
         * policy stopped the connector).
         */
        boolean dirty(Origin origin, DirtyRecordException e);

        /** Just before a row's send: the send's callback (may be null). */
        Callback sendingRow();

        /** Just before a dead letter's send: the send's callback (may be null). */
        Callback sendingDeadLetter();
    }

    private final RecordMapper mapper;
    private final RowsRouting routing;
    private final RowsProducer producer;
    private final String rowsTopic;
    private final String errorTopic;
    private final String connector;
    private final RecordLimits limits;

    /**
     * @param connector the connector name the dead letters carry
     * @param limits    the largest row and dead letter the topics take
     */
    public RowsPublisher(RecordMapper mapper, RowsRouting routing, RowsProducer producer, String rowsTopic,
                         String errorTopic, String connector, RecordLimits limits) {
        this.mapper = mapper;
        this.routing = routing;
        this.producer = producer;
        this.rowsTopic = rowsTopic;
        this.errorTopic = errorTopic;
        this.connector = connector;
        this.limits = limits;
    }

    /**
     * Maps one source record and sends its row, or its dead letter: a record that cannot be mapped, and one whose row
     * is larger than the rows topic takes; its dead letter is cut to fit the error topic ({@link DeadLetter#fit}).
     *
     * @param chainedAfter the source offset of the row published before it from the same source partition, -1 for
     *                     none ({@link RowEvent#chainedAfter()})
     * @throws org.apache.kafka.common.KafkaException when the producer refuses the send (closed, buffer full)
     */
    public Outcome publish(Origin origin, byte[] value, long chainedAfter, Caller caller) {
        byte[] encoded;
        byte[] key = routing.key(origin);
        try {
            List<RowEvent> mapped = mapper.mapAll(origin, value);
            if (mapped.isEmpty()) return Outcome.SKIPPED;
            if (mapped.size() == 1) {
                encoded = RowEventCodec.encode(caller.row(mapped.get(0)), chainedAfter);
            } else {
                if (!caller.takesSeveralRows()) {
                    throw new DirtyRecordException(DirtyRecordException.Stage.MAP, "the record changes " + mapped.size()
                            + " rows; a window-job run takes records of one row");
                }
                List<RowEvent> rows = new ArrayList<>(mapped.size());
                for (RowEvent r : mapped) rows.add(caller.row(r));
                // all rows of the record in one rows-topic record: published, read and committed together
                encoded = RowEventCodec.encode(rows, chainedAfter);
            }
            long size = RecordSize.of(key, encoded, List.of());
            if (size > limits.rows()) {
                throw new DirtyRecordException(DirtyRecordException.Stage.MAP, (mapped.size() == 1 ? "the row is "
                        : "the " + mapped.size() + " rows of the record are ") + size + " bytes, more than the"
                        + " rows topic " + rowsTopic + " takes (" + limits.rows() + " bytes: its max.message.bytes less room"
                        + " for compression)");
            }
        } catch (DirtyRecordException e) {
            if (!caller.dirty(origin, e)) return Outcome.HELD;
            DeadLetter.Letter letter = DeadLetter.fit(origin.key(), value, DeadLetter.headers(origin, connector, e), limits.errors());
            producer.send(new ProducerRecord<>(errorTopic, null, letter.key(), letter.value(), Origins.toKafka(letter.headers())),
                    caller.sendingDeadLetter());
            return Outcome.DEAD_LETTER;
        }
        int partition = routing.partition(origin);
        producer.send(new ProducerRecord<>(rowsTopic, partition, key, encoded), caller.sendingRow());
        return Outcome.ROW;
    }

    /** Sends a job marker to the rows partition it describes, keyed by its run. */
    public void sendMarker(JobMarker marker, Callback done) {
        producer.send(new ProducerRecord<>(rowsTopic, marker.rowsPartition(), marker.runId().getBytes(StandardCharsets.UTF_8),
                JobMarkerCodec.encode(marker)), done);
    }

    /** The rows partition the rows of this record's source partition go to. */
    public int rowsPartition(Origin origin) {
        return routing.partition(origin);
    }

    /** Partitions of the rows topic. */
    public int rowsPartitions() {
        return routing.rowsPartitions();
    }

    /** Waits until every send issued so far completed. */
    public void flush() {
        producer.flush();
    }

    /** Waits (bounded) for sends still in flight, then closes the producer. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        producer.close();
    }
}
