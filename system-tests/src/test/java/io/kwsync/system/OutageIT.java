package io.kwsync.system;

import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The destination database and the Kafka broker go away mid-stream and come back: readiness follows, the sink holds
 * a bounded amount while it waits, and afterwards every record is in the table exactly once. The database outage
 * lasts {@code faults.outage-seconds} (default 15; dev/faults.sh uses 60) and moves
 * {@code faults.outage-records} records (default 10000).
 */
class OutageIT {

    static final int OUTAGE_SECONDS = Integer.getInteger("faults.outage-seconds", 15);
    static final int RECORDS = Integer.getInteger("faults.outage-records", 10_000);
    static final int BATCH_ROWS = 1000;
    static final int POLL_RECORDS = 500;

    @Test
    void databaseOutageHoldsTheStreamWithBoundedMemoryAndLosesNothing() {
        String connector = TestKafka.unique("outage-db");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, FaultToleranceIT.SOURCE_PARTITIONS);
        long started = System.nanoTime();
        try (PrivateMariaDb db = new PrivateMariaDb(connector, TestDatabases.user(), TestDatabases.password()).start()) {
            Delivery.createTable(db.url(), table);
            Map<String, String> env = FaultToleranceIT.env(connector, TestKafka.bootstrap(), db.url());
            env.put("KWSYNC_SOURCE_TOPICS", source);
            env.put("KWSYNC_DESTINATION_TABLE", table);
            env.put("KWSYNC_SINK_BATCH_MAX_ROWS", Integer.toString(BATCH_ROWS));
            env.put("KWSYNC_SINK_RETRY_BACKOFF_MAX", "2s");
            Map<String, String> sinkEnv = new java.util.HashMap<>(env);
            // test-only: smaller polls, so that the bound below is well under what the outage brings
            sinkEnv.put("MP_MESSAGING_INCOMING_ROWS_MAX_POLL_RECORDS", Integer.toString(POLL_RECORDS));
            try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
                 ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", sinkEnv);
                 KafkaProducer<byte[], byte[]> producer = Delivery.producer(TestKafka.bootstrap())) {
                ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);

                int half = RECORDS / 5;
                send(producer, source, 0, half);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> TestDatabases.count(db.url(), table) == half);
                double fetchedBefore = fetched(sink);

                db.stop();
                long outageStart = System.nanoTime();
                send(producer, source, half, RECORDS);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> sink.status("/q/health/ready") == 503);
                String health = sink.get("/q/health/ready");
                assertTrue(health.contains("127.0.0.1:" + db.port()), "readiness names the database: " + health);
                assertTrue(health.contains("\"DOWN\""), health);
                assertEquals(200, sink.status("/q/health/live"), "an outage is not a reason to restart the pod");

                // stays DOWN for the whole outage, and the consumer stops fetching once its small buffer is full
                long bound = BATCH_ROWS + 4L * POLL_RECORDS;
                await().atMost(Duration.ofSeconds(OUTAGE_SECONDS + 30L)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    assertEquals(503, sink.status("/q/health/ready"), "ready while the database is down");
                    double held = fetched(sink) - fetchedBefore;
                    assertTrue(held <= bound, "the sink fetched " + held + " rows during the outage, more than " + bound);
                    return System.nanoTime() - outageStart >= TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS);
                });
                double held = fetched(sink) - fetchedBefore;
                assertTrue(ingestCaughtUp(connector, source), "ingest went on publishing to the rows topic");
                assertTrue(held < RECORDS - half, "the sink stopped fetching (" + held + " of " + (RECORDS - half) + ")");
                double retries = PrometheusText.value(sink.get("/q/metrics"), "kwsync_write_retries_total", "");

                db.start();
                long outage = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStart);
                sink.awaitReady(Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                        Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector, "kwsync-rows-" + connector));
                Delivery.Outcome outcome = Delivery.check(db.url(), table, Delivery.endOffsets(TestKafka.bootstrap(), source));
                FaultToleranceIT.report(String.format("FAULTS database outage: records=%d outage=%ds held-while-down=%d (bound %d) "
                                + "retries=%d losses=%d duplicates=%d duration=%ds", RECORDS, outage, (long) held, bound,
                        (long) retries, outcome.losses(), outcome.duplicates(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
                assertTrue(outcome.exact(), outcome.toString());
            }
        }
    }

    @Test
    void brokerRestartLosesAndDuplicatesNothing() throws Exception {
        String connector = TestKafka.unique("outage-kafka");
        String source = "src";
        String table = connector.replace('-', '_');
        String db = TestDatabases.mariadbUrl();
        Delivery.createTable(db, table);
        int records = RECORDS / 2;
        long started = System.nanoTime();
        try (PrivateKafkaBroker broker = new PrivateKafkaBroker(connector).start()) {
            try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic(source, FaultToleranceIT.SOURCE_PARTITIONS, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> env = FaultToleranceIT.env(connector, broker.bootstrap(), db);
            env.put("KWSYNC_SOURCE_TOPICS", source);
            env.put("KWSYNC_DESTINATION_TABLE", table);
            try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
                 ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
                ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
                int half = records / 2;
                try (KafkaProducer<byte[], byte[]> producer = Delivery.producer(broker.bootstrap())) {
                    send(producer, source, 0, half);
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> TestDatabases.count(db, table) > 0);

                broker.kill(); // kill -9 while rows are on their way
                long down = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ingest.status("/q/health/ready") == 503);
                broker.start(); // same port, same data directory
                long outage = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down);
                try (KafkaProducer<byte[], byte[]> producer = Delivery.producer(broker.bootstrap())) {
                    send(producer, source, half, records);
                }
                ingest.awaitReady(Duration.ofSeconds(90));
                sink.awaitReady(Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                        Delivery.caughtUp(broker.bootstrap(), "connect-" + connector, source)
                                && Delivery.caughtUp(broker.bootstrap(), "kwsync-sink-" + connector, "kwsync-rows-" + connector));
                Map<Integer, Long> end = Delivery.endOffsets(broker.bootstrap(), source);
                assertEquals(records, end.values().stream().mapToLong(Long::longValue).sum());
                Delivery.Outcome outcome = Delivery.check(db, table, end);
                FaultToleranceIT.report(String.format("FAULTS broker kill -9 and restart: records=%d broker down=%ds "
                                + "losses=%d duplicates=%d duration=%ds", records, outage, outcome.losses(), outcome.duplicates(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
                assertTrue(outcome.exact(), outcome.toString());
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, long from, long to) {
        List<Future<?>> acks = new ArrayList<>();
        for (long seq = from; seq < to; seq++) {
            acks.add(producer.send(Delivery.record(topic, FaultToleranceIT.SOURCE_PARTITIONS, seq)));
        }
        try {
            for (Future<?> f : acks) f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    /** Records the sink's Kafka consumer has fetched from the rows topic (the client's own counter). */
    private static double fetched(ServiceProcess sink) {
        String metrics = sink.get("/q/metrics");
        double v = PrometheusText.value(metrics, "kafka_consumer_fetch_manager_records_consumed_total", "client_id=\"kafka-consumer-rows\"");
        if (Double.isNaN(v)) throw new AssertionError("no consumer fetch counter in the sink's metrics");
        return v;
    }

    private static boolean ingestCaughtUp(String connector, String source) {
        return Delivery.caughtUp(TestKafka.bootstrap(), "connect-" + connector, source);
    }
}
