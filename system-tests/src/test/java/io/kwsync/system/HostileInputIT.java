package io.kwsync.system;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records built to hurt, each followed by a good one on the same source partition, through both real services into
 * MariaDB and PostgreSQL (two sinks on one rows topic). The invariant, per database: every source record arrives exactly
 * once, as a row or as one error-topic record (ingest's, or that sink's), with the outcome its case expects, and the
 * partition keeps flowing (the good record after each bad one is a row).
 *
 * <p>Each case says what it expects of each database ({@link Case}); sink-side cases (rows the destination refuses) are
 * added as more entries of {@link #cases}.
 */
class HostileInputIT {

    static final String MARIADB = TestDatabases.mariadbUrl();
    static final String POSTGRES = TestDatabases.postgresUrl();
    /** The rows and error topics exist beforehand with 1 MiB, as topics created outside kwsync may have. */
    static final int TOPIC_LIMIT = 1024 * 1024;

    /** Where a source record must end up. */
    enum Outcome {
        /** A row in the table. */
        ROW,
        /** A record on ingest-service's error topic (DECODE or MAP). */
        INGEST_ERROR,
        /** A record on that sink's error topic (WRITE). */
        SINK_ERROR
    }

    /** One source record and what each database must show for it. */
    record Case(String name, byte[] value, List<Header> headers, Outcome mariadb, Outcome postgres) {
        static Case good(String name, String json) {
            return new Case(name, utf8(json), List.of(), Outcome.ROW, Outcome.ROW);
        }

        static Case ingest(String name, byte[] value) {
            return new Case(name, value, List.of(), Outcome.INGEST_ERROR, Outcome.INGEST_ERROR);
        }

        Outcome expected(String db) {
            return db.equals(MARIADB) ? mariadb : postgres;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The hostile records, in produce order (the seq of each is its index); a good record follows each. */
    static List<Case> cases() {
        List<Case> bad = new ArrayList<>();
        bad.add(Case.ingest("malformed JSON", utf8("{\"seq\":0,\"s\":\"unclosed")));
        bad.add(Case.ingest("truncated JSON", utf8("{\"seq\":0,")));
        bad.add(Case.ingest("invalid UTF-8", new byte[]{'{', '"', 's', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'}));
        bad.add(Case.ingest("UTF-8 encoded surrogate", new byte[]{'{', '"', 's', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}));
        bad.add(Case.ingest("NUL byte", utf8("{\"s\":\"a\u0000b\"}")));
        bad.add(Case.ingest("deep JSON", utf8("{\"s\":" + "[".repeat(2000) + "]".repeat(2000) + "}")));
        bad.add(Case.ingest("number of 2000 digits", utf8("{\"n\":" + "9".repeat(2000) + "}")));
        bad.add(Case.ingest("lone high surrogate", utf8("{\"s\":\"x\\ud800y\"}")));
        bad.add(Case.ingest("lone low surrogate", utf8("{\"s\":\"\\udc00\"}")));
        bad.add(Case.ingest("lone surrogate in a key", utf8("{\"s\":\"a\",\"k\\ud800\":1}")));
        bad.add(Case.ingest("lone surrogate in nested JSON", utf8("{\"s\":\"a\",\"j\":{\"x\":[\"\\ud83d\"]}}")));
        bad.add(Case.ingest("not an object", utf8("[1,2,3]")));
        bad.add(Case.ingest("duplicate key", utf8("{\"s\":\"a\",\"s\":\"b\"}")));
        bad.add(new Case("spoofed error headers on a dirty record", utf8("not json"), List.of(
                new Header(DeadLetter.TOPIC, utf8("elsewhere")), new Header(DeadLetter.REASON, utf8("nothing wrong")),
                new Header(DeadLetter.STAGE, utf8("WRITE"))), Outcome.INGEST_ERROR, Outcome.INGEST_ERROR));
        bad.add(new Case("spoofed error headers on a good record", utf8("{\"s\":\"spoofed\"}"), List.of(
                new Header(DeadLetter.TOPIC, utf8("elsewhere"))), Outcome.ROW, Outcome.ROW));
        bad.add(Case.good("SQL-looking keys", "{\"s\":\"keys\",\"a`; DROP TABLE x; --\":1,\"s\\\"; DELETE FROM x; --\":2,"
                + "\"') OR 1=1 --\":3,\"seq; TRUNCATE x\":4}"));
        bad.add(Case.good("SQL-looking value", "{\"s\":\"'); DROP TABLE x; -- \\\\ `\"}"));
        bad.add(Case.good("number beyond 64 bits kept exactly", "{\"s\":\"bignum\",\"n\":123456789012345678901234567.5}"));
        bad.add(new Case("number too large for its column", utf8("{\"s\":\"overflow\",\"n\":1e400}"), List.of(),
                Outcome.SINK_ERROR, Outcome.SINK_ERROR));
        // A source topic may carry CloudEvents headers (structured content type, binary ce_ headers) that are not
        // valid CloudEvents: the connector reads the value as it reads any other, and the headers travel as headers.
        bad.add(new Case("CloudEvents content type on a JSON object that is no CloudEvent", utf8("{\"s\":\"ce structured\"}"),
                List.of(new Header("content-type", utf8("application/cloudevents+json; charset=UTF-8"))), Outcome.ROW, Outcome.ROW));
        bad.add(new Case("CloudEvents content type on a value that is not JSON", utf8("not json at all"),
                List.of(new Header("content-type", utf8("application/cloudevents+json"))), Outcome.INGEST_ERROR, Outcome.INGEST_ERROR));
        bad.add(new Case("CloudEvents binary headers with invalid attributes", utf8("{\"s\":\"ce binary\"}"), List.of(
                new Header("ce_specversion", utf8("1.0")), new Header("ce_id", utf8("x")), new Header("ce_source", utf8("::not a uri")),
                new Header("ce_type", utf8("t")), new Header("ce_time", utf8("not a time"))), Outcome.ROW, Outcome.ROW));
        bad.add(Case.ingest("record larger than the rows topic takes", utf8("{\"s\":\"" + "x".repeat(2 * TOPIC_LIMIT) + "\"}")));
        List<Case> all = new ArrayList<>();
        for (Case c : bad) {
            all.add(c);
            all.add(Case.good("good record after " + c.name(), "{\"s\":\"fine after " + c.name() + " 😀\"}"));
        }
        return all;
    }

    /** Inserts "seq" first into a JSON object's text (bytes outside JSON are left as they are). */
    static byte[] withSeq(byte[] value, int seq) {
        String text = new String(value, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("{\"") || text.startsWith("{\"seq\"")) return value;
        byte[] prefix = ("{\"seq\":" + seq + ",").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(prefix, prefix.length + value.length - 1);
        System.arraycopy(value, 1, out, prefix.length, value.length - 1);
        return out;
    }

    @Test
    void everySourceRecordExactlyOnceAsARowOrOneErrorRecordAndThePartitionKeepsFlowing() {
        String connector = TestKafka.unique("hostile");
        String source = connector + "-src";
        String rowsTopic = "kwsync-rows-" + connector;
        String ingestErrors = "connect-error-" + connector;
        TestKafka.createTopic(source, 1, Map.of("max.message.bytes", Integer.toString(4 * TOPIC_LIMIT)));
        TestKafka.createTopic(rowsTopic, 3, Map.of("max.message.bytes", Integer.toString(TOPIC_LIMIT)));
        TestKafka.createTopic(ingestErrors, 3, Map.of("max.message.bytes", Integer.toString(TOPIC_LIMIT)));
        String table = connector.replace('-', '_');
        for (String db : List.of(MARIADB, POSTGRES)) {
            TestDatabases.execute(db, "CREATE TABLE " + table + " (seq BIGINT, s VARCHAR(300), n DECIMAL(30,2))");
        }

        Map<String, String> ingestEnv = new HashMap<>(StreamingEndToEndIT.commonEnv(connector));
        ingestEnv.put("KWSYNC_SOURCE_TOPICS", source);
        ingestEnv.put("KWSYNC_DESTINATION_TABLE", table);
        Map<String, String> mariadbEnv = sinkEnv(connector + "-my", rowsTopic, MARIADB);
        Map<String, String> postgresEnv = sinkEnv(connector + "-pg", rowsTopic, POSTGRES);

        List<Case> cases = cases();
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess mariadb = new ServiceProcess("sink-service", connector + "-sink-my", mariadbEnv);
             ServiceProcess postgres = new ServiceProcess("sink-service", connector + "-sink-pg", postgresEnv)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, mariadb, postgres);

            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int seq = 0; seq < cases.size(); seq++) {
                Case c = cases.get(seq);
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(source, 0, utf8("k" + seq), withSeq(c.value(), seq));
                c.headers().forEach(h -> r.headers().add(h.name(), h.value()));
                records.add(r);
            }
            TestKafka.sendAll(records); // one partition: record seq is at offset seq

            Map<String, Map<Long, List<Outcome>>> seen = new LinkedHashMap<>();
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                List<ConsumerRecord<byte[], byte[]>> ingestDead = TestKafka.read(ingestErrors, 0, Duration.ofSeconds(3));
                seen.put(MARIADB, outcomes(MARIADB, table, ingestDead, TestKafka.read("connect-error-" + connector + "-my", 0, Duration.ofSeconds(2))));
                seen.put(POSTGRES, outcomes(POSTGRES, table, ingestDead, TestKafka.read("connect-error-" + connector + "-pg", 0, Duration.ofSeconds(2))));
                return seen.values().stream().allMatch(m -> m.size() == cases.size());
            });
            // a moment more for anything that would arrive twice
            List<ConsumerRecord<byte[], byte[]>> ingestDead = TestKafka.read(ingestErrors, 0, Duration.ofSeconds(3));
            seen.put(MARIADB, outcomes(MARIADB, table, ingestDead, TestKafka.read("connect-error-" + connector + "-my", 0, Duration.ofSeconds(2))));
            seen.put(POSTGRES, outcomes(POSTGRES, table, ingestDead, TestKafka.read("connect-error-" + connector + "-pg", 0, Duration.ofSeconds(2))));

            for (String db : List.of(MARIADB, POSTGRES)) {
                Map<Outcome, Integer> counts = new TreeMap<>();
                for (int seq = 0; seq < cases.size(); seq++) {
                    Case c = cases.get(seq);
                    List<Outcome> got = seen.get(db).getOrDefault((long) seq, List.of());
                    assertEquals(List.of(c.expected(db)), got, db + ": record " + seq + " (" + c.name() + ") exactly once, as expected");
                    counts.merge(c.expected(db), 1, Integer::sum);
                }
                System.out.printf("HostileInputIT %s: %d records (%d hostile), %s%n", db.contains("mysql") ? "MariaDB" : "PostgreSQL",
                        cases.size(), cases.size() / 2, counts);
            }
            checkErrorRecords(ingestDead, cases, source);
            checkRows(cases, table);
        }
    }

    static Map<String, String> sinkEnv(String connector, String rowsTopic, String url) {
        Map<String, String> env = new HashMap<>(StreamingEndToEndIT.commonEnv(connector));
        env.put("KWSYNC_JDBC_URL", url);
        env.put("KWSYNC_ROWS_TOPIC", rowsTopic);
        env.put("KWSYNC_SINK_BATCH_MAX_AGE", "200ms");
        return env;
    }

    /** Source offset (= seq) -> where it was found: rows of the table, ingest's dead letters, the sink's. */
    static Map<Long, List<Outcome>> outcomes(String db, String table, List<ConsumerRecord<byte[], byte[]>> ingestDead,
                                             List<ConsumerRecord<byte[], byte[]>> sinkDead) {
        Map<Long, List<Outcome>> out = new TreeMap<>();
        for (Map<String, Object> row : TestDatabases.query(db, "SELECT seq FROM " + table)) {
            out.computeIfAbsent(((Number) row.get("seq")).longValue(), k -> new ArrayList<>()).add(Outcome.ROW);
        }
        for (ConsumerRecord<byte[], byte[]> r : ingestDead) out.computeIfAbsent(offset(r), k -> new ArrayList<>()).add(Outcome.INGEST_ERROR);
        for (ConsumerRecord<byte[], byte[]> r : sinkDead) out.computeIfAbsent(offset(r), k -> new ArrayList<>()).add(Outcome.SINK_ERROR);
        return out;
    }

    static List<Header> headers(ConsumerRecord<byte[], byte[]> r) {
        List<Header> h = new ArrayList<>();
        r.headers().forEach(x -> h.add(new Header(x.key(), x.value())));
        return h;
    }

    static long offset(ConsumerRecord<byte[], byte[]> r) {
        return Long.parseLong(DeadLetter.header(headers(r), DeadLetter.OFFSET));
    }

    static String first(List<Header> headers, String name) {
        return headers.stream().filter(h -> h.name().equals(name)).map(h -> new String(h.value(), StandardCharsets.UTF_8))
                .findFirst().orElse(null);
    }

    /** What the dead letters say: their origin, a reason, our headers only once, the oversize one cut and marked. */
    static void checkErrorRecords(List<ConsumerRecord<byte[], byte[]>> dead, List<Case> cases, String source) {
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            List<Header> h = headers(r);
            Case c = cases.get((int) offset(r));
            assertEquals(1, h.stream().filter(x -> x.name().equals(DeadLetter.TOPIC)).count(), c.name());
            assertEquals(source, first(h, DeadLetter.TOPIC), c.name() + ": the first kwsync.error.topic is ours");
            assertTrue(first(h, DeadLetter.REASON) != null && !first(h, DeadLetter.REASON).isBlank(), c.name());
            if (c.name().startsWith("spoofed")) {
                assertEquals("elsewhere", first(h, "kwsync.original.error.topic"), "the spoofed header is kept under another name");
                assertEquals("DECODE", first(h, DeadLetter.STAGE));
            }
            if (c.name().startsWith("record larger")) {
                assertEquals("MAP", first(h, DeadLetter.STAGE));
                assertTrue(first(h, DeadLetter.TRUNCATED).startsWith("value cut from"), first(h, DeadLetter.TRUNCATED));
                assertTrue(r.value().length < TOPIC_LIMIT && r.value().length > TOPIC_LIMIT / 2, "cut to fit: " + r.value().length);
            } else {
                assertEquals(null, first(h, DeadLetter.TRUNCATED), c.name());
                assertTrue(Arrays.equals(withSeq(c.value(), (int) offset(r)), r.value()), c.name() + ": the original bytes");
            }
            if (c.name().contains("surrogate") && !c.name().contains("UTF-8 encoded")) {
                assertTrue(first(h, DeadLetter.REASON).contains("surrogate"), c.name() + ": " + first(h, DeadLetter.REASON));
            }
        }
    }

    /** The rows hold the values as sent: SQL-looking text verbatim, keys that name no column ignored. */
    static void checkRows(List<Case> cases, String table) {
        for (String db : List.of(MARIADB, POSTGRES)) {
            Map<Long, String> s = new HashMap<>();
            TestDatabases.query(db, "SELECT seq, s FROM " + table).forEach(row -> s.put(((Number) row.get("seq")).longValue(), (String) row.get("s")));
            for (int seq = 0; seq < cases.size(); seq++) {
                Case c = cases.get(seq);
                if (c.name().equals("SQL-looking value")) assertEquals("'); DROP TABLE x; -- \\ `", s.get((long) seq), db);
                if (c.name().startsWith("good record after")) assertTrue(s.get((long) seq).endsWith(" 😀"), db + " " + s.get((long) seq));
            }
            assertEquals(1, TestDatabases.count(db, table + " WHERE s = 'keys'"), db + ": the row with SQL-looking keys");
            assertEquals(0, new java.math.BigDecimal("123456789012345678901234567.50").compareTo((java.math.BigDecimal) TestDatabases
                    .query(db, "SELECT n FROM " + table + " WHERE s = 'bignum'").get(0).get("n")), db + ": every digit kept");
        }
    }
}
