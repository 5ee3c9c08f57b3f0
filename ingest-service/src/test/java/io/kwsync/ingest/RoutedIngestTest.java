package io.kwsync.ingest;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connector, topics by pattern, a table per record: a topic created while the service runs is read too, one
 * deleted while it runs costs nothing else, the connector's own topics are not read although the pattern matches
 * their names, and records whose table cannot be resolved, is not a valid name or is not on the allow-list go to the
 * error topic with the reason.
 */
@QuarkusTest
@TestProfile(RoutedIngestTest.Routed.class)
class RoutedIngestTest {

    /** Pattern subscription and routing by a value field, on a connector of its own. */
    public static class Routed implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Topics.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** A connector whose pattern names it (so it would match its own rows and error topics without the guard). */
    public static class Topics implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            String connector = TestKafka.unique("ingest-route");
            TestKafka.createTopic(connector + "-src-a", 3);
            return Map.of(
                    "kwsync.connector.name", connector,
                    "kwsync.source.topic-pattern", ".*" + connector + ".*",
                    "kwsync.destination.table", "ev_${value.kind|lower|safe}",
                    "kwsync.destination.table-allow", "ev_(click|view|buy_now)",
                    "kwsync.destination.table-max-length", "64",
                    // new topics are found at the next metadata refresh; the default is 30 s
                    "mp.messaging.incoming.source.metadata.max.age.ms", "500");
        }

        @Override
        public void stop() {
        }
    }

    @ConfigProperty(name = "kwsync.connector.name")
    String connector;
    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The rows on the rows topic, one per source record: a rebalance (a topic appearing or disappearing) may make
     * ingest read records again whose offsets were not committed yet, and the rows topic then holds them twice (the
     * sink skips the second by its source offset), so rows are counted by their source coordinates.
     */
    List<RowEvent> distinctRows(int expected) {
        List<List<RowEvent>> last = new ArrayList<>(List.of(List.of()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, RowEvent> byOrigin = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : TestKafka.read(rowsTopic, expected, Duration.ofSeconds(5))) {
                RowEvent e = RowEventCodec.decode(r.value());
                byOrigin.putIfAbsent(e.origin().coordinates(), e);
            }
            last.set(0, new ArrayList<>(byOrigin.values()));
            return byOrigin.size() >= expected;
        });
        return last.get(0);
    }

    @Test
    void recordsOfMatchingTopicsGoToTheTableTheirValueNames() throws Exception {
        String a = connector + "-src-a";
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        String[] kinds = {"Click", "view", "buy now"};
        for (int i = 0; i < 30; i++) {
            records.add(new ProducerRecord<>(a, i % 3, utf8("k" + i), utf8("{\"kind\":\"" + kinds[i % 3] + "\",\"n\":" + i + "}")));
        }
        records.add(new ProducerRecord<>(a, 0, utf8("evil"), utf8("{\"kind\":\"users\",\"n\":100}")));
        records.add(new ProducerRecord<>(a, 1, utf8("none"), utf8("{\"n\":101}")));
        records.add(new ProducerRecord<>(a, 2, utf8("long"), utf8("{\"kind\":\"" + "x".repeat(300) + "\",\"n\":102}")));
        TestKafka.sendAll(records);
        assertEquals(30, distinctRows(30).size());

        String b = connector + "-src-b"; // created while the service runs
        TestKafka.createTopic(b, 2);
        List<ProducerRecord<byte[], byte[]>> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) later.add(new ProducerRecord<>(b, i % 2, null, utf8("{\"kind\":\"VIEW\",\"n\":" + (200 + i) + "}")));
        TestKafka.sendAll(later);

        List<RowEvent> rows = distinctRows(40);
        assertEquals(40, rows.size(), "one row per routable record, none from the connector's own topics");
        Map<String, Integer> perTable = new TreeMap<>();
        for (RowEvent r : rows) {
            perTable.merge(r.destination().table(), 1, Integer::sum);
            long n = (Long) r.columns().get("n");
            String expected = n >= 200 ? "ev_view" : "ev_" + kinds[(int) n % 3].toLowerCase().replace(' ', '_');
            assertEquals(expected, r.destination().table(), "row " + n);
            assertEquals(n >= 200 ? b : a, r.origin().topic());
        }
        assertEquals(Map.of("ev_click", 10, "ev_view", 20, "ev_buy_now", 10), perTable);

        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 3, Duration.ofSeconds(30));
        Map<String, String> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> e : errors) {
            List<Header> headers = new ArrayList<>();
            e.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
            reasons.put(new String(e.key(), StandardCharsets.UTF_8), DeadLetter.header(headers, DeadLetter.REASON));
            assertEquals(a, DeadLetter.header(headers, DeadLetter.TOPIC));
        }
        assertEquals(List.of("evil", "long", "none"), List.copyOf(reasons.keySet()), "dead letters (a re-read may repeat one)");
        assertTrue(reasons.get("evil").contains("\"ev_users\"") && reasons.get("evil").contains("KWSYNC_DESTINATION_TABLE_ALLOW"),
                reasons.get("evil"));
        assertTrue(reasons.get("none").contains("${value.kind"), reasons.get("none"));
        assertTrue(reasons.get("long").contains("303 characters long; at most 64"), reasons.get("long"));

        // a topic that disappears while running: the others keep flowing, and a new one is still found
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            admin.deleteTopics(List.of(b)).all().get(30, TimeUnit.SECONDS);
        }
        String c = connector + "-src-c";
        TestKafka.createTopic(c, 1);
        List<ProducerRecord<byte[], byte[]>> after = new ArrayList<>();
        for (int i = 0; i < 5; i++) after.add(new ProducerRecord<>(c, 0, null, utf8("{\"kind\":\"click\",\"n\":" + (300 + i) + "}")));
        after.add(new ProducerRecord<>(a, 0, null, utf8("{\"kind\":\"buy now\",\"n\":400}")));
        TestKafka.sendAll(after);
        List<RowEvent> all = distinctRows(46);
        assertEquals(46, all.size());
        assertEquals(5, all.stream().filter(r -> r.origin().topic().equals(c) && r.destination().table().equals("ev_click")).count());
        assertEquals(1, all.stream().filter(r -> Long.valueOf(400).equals(r.columns().get("n"))).count());
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
