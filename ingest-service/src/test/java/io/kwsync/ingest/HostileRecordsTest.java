package io.kwsync.ingest;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records built to hurt, each followed by a good one on the same partition: each bad record becomes exactly one
 * error-topic record with its origin and reason, nothing of it reaches the rows topic altered, and the good record after
 * it arrives (the partition keeps flowing). The rows and error topics exist beforehand with small limits, as a topic
 * created outside kwsync may have, so an oversize record is cheap to make.
 */
@QuarkusTest
@TestProfile(HostileRecordsTest.Profile.class)
class HostileRecordsTest extends IsolatedIngest {

    static final int ROWS_LIMIT = 64 * 1024;
    static final int ERRORS_LIMIT = 32 * 1024;

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("partitions", "1", "rows-max-message-bytes", Integer.toString(ROWS_LIMIT),
                    "errors-max-message-bytes", Integer.toString(ERRORS_LIMIT));
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachBadRecordCostsOnlyItself() {
        byte[] random = new byte[50 * 1024]; // hex of random bytes: 100 KiB no compression brings under the limits
        new Random(7).nextBytes(random);
        String big = HexFormat.of().formatHex(random);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(good(0));
        records.add(value("{\"id\":1,\"s\":\"x\\ud800y\"}"));             // offset 1: a lone surrogate in a value
        records.add(good(2));
        records.add(value("{\"id\":3,\"k\\udc00\":1}"));                  // 3: in a key
        records.add(good(4));
        records.add(value("{\"id\":5,\"nested\":{\"a\":[\"\\ud83d\"]}}")); // 5: in nested JSON
        records.add(good(6));
        ProducerRecord<byte[], byte[]> spoofed = value("not json");        // 7: dirty, with spoofed error headers
        spoofed.headers().add(DeadLetter.TOPIC, utf8("elsewhere")).add(DeadLetter.REASON, utf8("nothing wrong"))
                .add("trace", utf8("t-7"));
        records.add(spoofed);
        records.add(good(8));
        records.add(value("{\"id\":9,\"big\":\"" + big + "\"}"));         // 9: a row over the rows topic's limit
        records.add(good(10));
        TestKafka.sendAll(records);

        List<RowEvent> rows = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            rows.clear();
            TestKafka.read(rowsTopic, 6, Duration.ofSeconds(10)).forEach(r -> rows.add(RowEventCodec.decode(r.value())));
            return rows.size() >= 6;
        });
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L), rows.stream().map(r -> r.origin().offset()).sorted().toList(),
                "every good record, the one after each bad one included, and nothing else");

        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 5, Duration.ofSeconds(30));
        assertEquals(5, errors.size(), "one error-topic record per bad record");
        Map<Long, List<Header>> byOffset = new java.util.TreeMap<>();
        Map<Long, byte[]> values = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> e : errors) {
            List<Header> h = new ArrayList<>();
            e.headers().forEach(x -> h.add(new Header(x.key(), x.value())));
            long offset = Long.parseLong(DeadLetter.header(h, DeadLetter.OFFSET));
            byOffset.put(offset, h);
            values.put(offset, e.value());
            assertEquals(source, DeadLetter.header(h, DeadLetter.TOPIC));
        }
        assertEquals(List.of(1L, 3L, 5L, 7L, 9L), List.copyOf(byOffset.keySet()));

        String valueReason = DeadLetter.header(byOffset.get(1L), DeadLetter.REASON);
        assertEquals("JSON string at /s holds a lone UTF-16 surrogate \\uD800 at character 2 (an escape without its pair),"
                + " which UTF-8 cannot encode", valueReason);
        assertEquals("DECODE", DeadLetter.header(byOffset.get(1L), DeadLetter.STAGE));
        assertArrayEquals(utf8("{\"id\":1,\"s\":\"x\\ud800y\"}"), values.get(1L), "the original bytes");
        // in a key, the JSON parser itself refuses the escape
        assertTrue(DeadLetter.header(byOffset.get(3L), DeadLetter.REASON).contains("surrogate"),
                DeadLetter.header(byOffset.get(3L), DeadLetter.REASON));
        assertEquals("DECODE", DeadLetter.header(byOffset.get(3L), DeadLetter.STAGE));
        assertTrue(DeadLetter.header(byOffset.get(5L), DeadLetter.REASON).startsWith("JSON at /nested holds a lone"),
                DeadLetter.header(byOffset.get(5L), DeadLetter.REASON));

        List<Header> spoof = byOffset.get(7L);
        assertEquals(1, spoof.stream().filter(h -> h.name().equals(DeadLetter.TOPIC)).count(), "one kwsync.error.topic: ours");
        assertEquals(source, first(spoof, DeadLetter.TOPIC));
        assertEquals("value is not valid JSON", first(spoof, DeadLetter.REASON).substring(0, 23));
        assertEquals("elsewhere", first(spoof, "kwsync.original.error.topic"), "the original header kept under another name");
        assertEquals("nothing wrong", first(spoof, "kwsync.original.error.reason"));
        assertEquals("t-7", first(spoof, "trace"));

        List<Header> oversize = byOffset.get(9L);
        assertEquals("MAP", DeadLetter.header(oversize, DeadLetter.STAGE));
        assertTrue(DeadLetter.header(oversize, DeadLetter.REASON).startsWith("the row is "), DeadLetter.header(oversize, DeadLetter.REASON));
        String mark = DeadLetter.header(oversize, DeadLetter.TRUNCATED);
        assertTrue(mark != null && mark.startsWith("value cut from " + value("{\"id\":9,\"big\":\"" + big + "\"}").value().length), mark);
        assertTrue(values.get(9L).length < ERRORS_LIMIT && values.get(9L).length > ERRORS_LIMIT / 2, "as much as fits: " + values.get(9L).length);
        assertArrayEquals(utf8("{\"id\":9,\"big\":\""), java.util.Arrays.copyOf(values.get(9L), 15), "the value's start");

        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed("connect-" + connector, source).getOrDefault(0, -1L) == 11L);
        assertNull(DeadLetter.header(byOffset.get(1L), DeadLetter.TRUNCATED), "a small dead letter is not cut");
    }

    static String first(List<Header> headers, String name) {
        return headers.stream().filter(h -> h.name().equals(name)).map(h -> new String(h.value(), StandardCharsets.UTF_8))
                .findFirst().orElse(null);
    }

    ProducerRecord<byte[], byte[]> good(int id) {
        return value("{\"id\":" + id + ",\"s\":\"fine 😀 ?\"}");
    }

    ProducerRecord<byte[], byte[]> value(String json) {
        return new ProducerRecord<>(source, 0, null, utf8(json));
    }
}
