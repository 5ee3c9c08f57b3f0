package io.kwsync.ingest.publish;

import io.kwsync.ingest.convert.DecodedMapper;
import io.kwsync.ingest.format.ChangeEnvelope;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.model.RowOperation;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Canal message of several rows published on the real broker: all its rows in one rows-topic record, in order, with
 * the chain of the record; a caller that takes one row per record (a window-job run) gets it as a dirty record instead.
 */
class SeveralRowsPublishTest {

    static final String DELETE = "{\"data\": [{\"id\": \"1\", \"v\": \"a\"}, {\"id\": \"2\", \"v\": \"b\"}, {\"id\": \"3\", \"v\": \"c\"}],"
            + " \"pkNames\": [\"id\"], \"isDdl\": false, \"type\": \"DELETE\"}";

    /** A caller of the streaming path's kind, or of a job run's when {@code oneRow}. */
    record Caller(boolean oneRow) implements RowsPublisher.Caller {
        @Override
        public boolean takesSeveralRows() {
            return !oneRow;
        }

        @Override
        public boolean dirty(Origin origin, DirtyRecordException e) {
            return true;
        }

        @Override
        public Callback sendingRow() {
            return null;
        }

        @Override
        public Callback sendingDeadLetter() {
            return null;
        }
    }

    @Test
    void theRowsOfAMessageGoInOneRowsTopicRecordAndAJobRunRefusesThem() {
        String rows = TestKafka.unique("rows");
        String errors = TestKafka.unique("errors");
        TestKafka.createTopic(rows, 2);
        TestKafka.createTopic(errors, 1);
        RowsProducer producer = new RowsProducer(new KafkaClients(Map.of("bootstrap.servers", TestKafka.bootstrap())),
                "several-rows-test", "lz4", p -> { });
        DecodedMapper canal = new DecodedMapper((o, v) -> Destination.table("users"), DecodedMapper.json(), DecodedMapper.json(),
                ChangeEnvelope.named("canal-json"), null);
        try (RowsPublisher publisher = new RowsPublisher(canal, new RowsRouting(2), producer, rows, errors, "conn",
                new RecordLimits(1 << 20, 1 << 20))) {
            byte[] value = DELETE.getBytes(StandardCharsets.UTF_8);
            Origin origin = new Origin("canal", 0, 42, 0, null, List.of());
            assertEquals(RowsPublisher.Outcome.ROW, publisher.publish(origin, value, 40, new Caller(false)));
            assertEquals(RowsPublisher.Outcome.DEAD_LETTER, publisher.publish(new Origin("canal", 0, 43, 0, null, List.of()),
                    value, 42, new Caller(true)));
            publisher.flush();
        }
        List<ConsumerRecord<byte[], byte[]>> onRows = TestKafka.read(rows, 1, Duration.ofSeconds(30));
        assertEquals(1, onRows.size(), "one record for the three rows");
        List<RowEvent> decoded = RowEventCodec.decodeAll(onRows.get(0).value());
        assertEquals(List.of(Map.of("id", "1"), Map.of("id", "2"), Map.of("id", "3")), decoded.stream().map(RowEvent::columns).toList());
        for (RowEvent r : decoded) {
            assertEquals(RowOperation.DELETE, r.operation());
            assertEquals(42, r.origin().offset());
            assertEquals(40, r.chainedAfter());
            assertEquals(3, r.rowCount());
        }
        List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.read(errors, 1, Duration.ofSeconds(30));
        assertEquals(1, dead.size());
        var reason = dead.get(0).headers().lastHeader(DeadLetter.REASON);
        assertTrue(new String(reason.value(), StandardCharsets.UTF_8).contains("a window-job run takes records of one row"));
        assertEquals(DELETE, new String(dead.get(0).value(), StandardCharsets.UTF_8));
    }
}
