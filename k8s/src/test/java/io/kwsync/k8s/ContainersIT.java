package io.kwsync.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both services' JVM images, built by dev/images.sh with podman, run the way k8s/base runs them (read-only root,
 * /tmp the only writable path, user 185, no capabilities, the memory and CPU limits, the Secrets as mounted files),
 * against the local Kafka and MariaDB: records become rows, the probes' endpoints answer, and SIGTERM in the middle
 * of a stream stops both within the grace period, after which restarted containers finish the stream with every
 * record in the table exactly once. Skipped, with the reason printed, only when dev/images.sh finds that this machine
 * cannot run containers at all.
 */
class ContainersIT {

    static final Path OUT = Repo.K8S.resolve("target/containers-it");
    /** Per checkout, so two worktrees running this test at once do not build over each other's images. */
    static final String TAG = "it-" + Integer.toHexString(Repo.ROOT.toString().hashCode());
    static final int PARTITIONS = 6;

    static List<ObjectNode> base;
    static String connector;
    static String topic;
    static String table;

    @BeforeAll
    static void buildImages() throws IOException {
        Files.createDirectories(OUT);
        long t0 = System.nanoTime();
        String unusable = Podman.buildImages(TAG, OUT.resolve("images.log"), Duration.ofMinutes(15));
        if (unusable != null) {
            // only when podman itself cannot run here (dev/images.sh says why); any other failure fails the test
            System.out.println("ContainersIT SKIPPED: this machine cannot run containers:\n" + unusable);
            Assumptions.abort("this machine cannot run containers: " + unusable);
        }
        System.out.printf("ContainersIT: dev/images.sh took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        base = Kustomize.render(Repo.K8S.resolve("base"));
        connector = TestKafka.unique("ctr").toLowerCase();
        topic = connector + "-src";
        table = connector.replace('-', '_');
        TestKafka.createTopic(topic, PARTITIONS);
        TestDatabases.execute(TestDatabases.mariadbUrl(), "CREATE TABLE " + table
                + " (src_partition INT NOT NULL, src_offset BIGINT NOT NULL, seq BIGINT NOT NULL)");
    }

    @AfterAll
    static void dropTable() {
        if (table != null) TestDatabases.execute(TestDatabases.mariadbUrl(), "DROP TABLE IF EXISTS " + table);
    }

    @Test
    void theImagesRunAsTheManifestsSayAndStopOnSigtermWithoutLoss() throws Exception {
        ManifestContainer ingestPod = ManifestContainer.of(base, "kwsync-ingest");
        ManifestContainer sinkPod = ManifestContainer.of(base, "kwsync-sink");
        for (var m : Map.of("ingest-service", ingestPod, "sink-service", sinkPod).entrySet()) {
            // runAsNonRoot can only verify a numeric user; the image's own user is the manifests' runAsUser
            assertEquals(Integer.toString(m.getValue().runAsUser()), Podman.run(Duration.ofSeconds(30), "image", "inspect", "--format",
                    "{{.Config.User}}", image(m.getKey())), m.getKey() + " image user");
        }
        long sent = 0;
        try (Pair first = start(ingestPod, sinkPod, "1")) {
            for (ServiceContainer c : first.both()) {
                assertEquals("185\n", c.exec("id -u").output(), c.name() + " runs as the manifests' user");
                Podman.Result root = c.exec("touch /deployments/probe");
                assertNotEquals(0, root.exitCode(), c.name() + ": the root filesystem must be read-only");
                assertTrue(root.output().contains("Read-only file system"), root.output());
                assertEquals(0, c.exec("touch /tmp/probe && rm /tmp/probe").exitCode(), c.name() + ": /tmp is writable");
            }
            sent += produce(0, 2_000);
            awaitRows(sent);
            for (ServiceContainer c : first.both()) {
                assertEquals(200, c.get(c.manifest().probePath("livenessProbe")).status(), c.name() + " live");
                ServiceContainer.Answer ready = c.get(c.manifest().probePath("readinessProbe"));
                assertEquals(200, ready.status(), c.name() + " ready: " + ready.body());
                assertTrue(ready.body().contains("\"status\": \"UP\""), ready.body());
            }

            // SIGTERM to both while records keep arriving: each must finish its work within the grace period
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong streamed = new AtomicLong();
            long from = sent;
            Future<?> stream = CompletableFuture.runAsync(() -> streamed.set(produceSteadily(from, producing)));
            try {
                awaitRows(sent + 1_000);
                for (ServiceContainer c : first.both()) {
                    assertTrue(c.running(), c.name());
                    checkMemory(c);
                }
                var ingestStop = CompletableFuture.supplyAsync(() -> first.ingest.stop(ingestPod.gracePeriodSeconds()));
                var sinkStop = CompletableFuture.supplyAsync(() -> first.sink.stop(sinkPod.gracePeriodSeconds()));
                checkStop(first.ingest, ingestStop.get());
                checkStop(first.sink, sinkStop.get());
            } finally {
                producing.set(false);
            }
            stream.get(2, TimeUnit.MINUTES);
            sent += streamed.get();
            System.out.printf("ContainersIT: %d records streamed across the stop%n", streamed.get());
        }
        try (Pair second = start(ingestPod, sinkPod, "2")) {
            sent += produce(sent, 2_000);
            awaitRows(sent);
            assertExactlyOnce(sent);
            for (ServiceContainer c : second.both()) checkMemory(c);
        }
    }

    /** Both services of one run; closing stops and removes both (saving their logs). */
    record Pair(ServiceContainer ingest, ServiceContainer sink) implements AutoCloseable {
        List<ServiceContainer> both() {
            return List.of(ingest, sink);
        }

        @Override
        public void close() {
            try (ServiceContainer i = ingest; ServiceContainer s = sink) {
                // closes both, even when one fails
            }
        }
    }

    /** Starts both containers and waits as the probes would: live within the startup budget, then ready. */
    private Pair start(ManifestContainer ingestPod, ManifestContainer sinkPod, String round) {
        String token = UUID.randomUUID().toString();
        Map<String, Map<String, String>> secrets = Map.of("kwsync-api-token", Map.of("token", token),
                "kwsync-jdbc", Map.of("password", TestDatabases.password()));
        // the host's network: the manifests' port 8080 may be taken here, so each gets a free one
        ServiceContainer ingest = ServiceContainer.start(ingestPod, connector + "-ingest-" + round, image("ingest-service"),
                env(ingestPod), secrets, freePort(), OUT);
        ServiceContainer sink;
        try {
            sink = ServiceContainer.start(sinkPod, connector + "-sink-" + round, image("sink-service"), env(sinkPod), secrets, freePort(), OUT);
        } catch (RuntimeException e) {
            ingest.close();
            throw e;
        }
        Pair pair = new Pair(ingest, sink);
        try {
            for (ServiceContainer c : pair.both()) {
                ManifestContainer m = c.manifest();
                await(c.name() + " live").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> c.get(m.probePath("startupProbe")).status() == 200);
                await(c.name() + " ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> c.get(m.probePath("readinessProbe")).status() == 200);
            }
        } catch (RuntimeException | AssertionError e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    /** The manifests' variables, with the addresses and names of this test instead of the example cluster's. */
    private Map<String, String> env(ManifestContainer pod) {
        Map<String, String> env = new HashMap<>(pod.environment());
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap());
        env.put("KWSYNC_SOURCE_TOPICS", topic);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_MAPPING_COLUMNS", "__partition__ => src_partition, __offset__ => src_offset, seq");
        env.put("KWSYNC_JDBC_URL", TestDatabases.mariadbUrl());
        env.put("KWSYNC_JDBC_USER", TestDatabases.user());
        return env;
    }

    /** The process's peak so far stays below the limit (the kernel would kill it at the limit itself). */
    private static void checkMemory(ServiceContainer c) {
        long peak = c.peakRssKib() * 1024;
        System.out.printf("ContainersIT: %s peak RSS %d MiB (limit %d MiB)%n", c.name(), peak >> 20, c.manifest().memoryLimitBytes() >> 20);
        assertTrue(peak < c.manifest().memoryLimitBytes(), c.name() + " peak RSS " + (peak >> 20) + " MiB");
    }

    private static void checkStop(ServiceContainer c, ServiceContainer.Stop stop) {
        ManifestContainer pod = c.manifest();
        System.out.printf("ContainersIT: %s stopped in %d ms with exit code %d%n", c.name(), stop.took().toMillis(), stop.exitCode());
        assertFalse(stop.oomKilled(), c.name() + " was killed at its memory limit");
        assertTrue(stop.took().toSeconds() < pod.gracePeriodSeconds(), c.name() + " took " + stop.took() + " to stop");
        // 143: the JVM's exit after a SIGTERM it handled; 137 would be the SIGKILL at the end of the grace period
        assertEquals(143, stop.exitCode(), c.name() + " exit code");
        assertTrue(c.logs().contains("stopped in"), c.name() + " logs its orderly shutdown");
    }

    static String image(String module) {
        return "localhost/kwsync/" + module + ":" + TAG;
    }

    private static ProducerRecord<byte[], byte[]> record(long seq) {
        return new ProducerRecord<>(topic, (int) (seq % PARTITIONS), ("k" + seq).getBytes(StandardCharsets.UTF_8),
                ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends records from..from+n-1 and waits for every acknowledgement; returns n. */
    private static long produce(long from, int n) {
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            for (long s = from; s < from + n; s++) p.send(record(s));
            p.flush();
        }
        return n;
    }

    /** About 1,000 records a second from seq {@code from} on, until told to stop; returns how many were sent. */
    private static long produceSteadily(long from, AtomicBoolean producing) {
        long n = 0;
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            long next = System.nanoTime();
            while (producing.get()) {
                for (int i = 0; i < 50; i++) p.send(record(from + n++));
                next += TimeUnit.MILLISECONDS.toNanos(50);
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
            }
            p.flush(); // every record sent is acknowledged, so it counts
        }
        return n;
    }

    private static void awaitRows(long n) {
        await(n + " rows in " + table).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> TestDatabases.count(TestDatabases.mariadbUrl(), table) >= n);
    }

    /** Every (partition, offset) of the source topic is in the table exactly once, and nothing else is. */
    private static void assertExactlyOnce(long sent) throws Exception {
        Map<Integer, Long> end = endOffsets();
        assertEquals(sent, end.values().stream().mapToLong(Long::longValue).sum(), "records on the source topic");
        Map<Integer, String> expected = new TreeMap<>();
        end.forEach((p, e) -> expected.put(p, e + " rows, " + e + " distinct offsets 0.." + (e - 1)));
        Map<Integer, String> actual = TestDatabases.query(TestDatabases.mariadbUrl(), "SELECT src_partition AS p, COUNT(*) AS n, "
                        + "COUNT(DISTINCT src_offset) AS d, MIN(src_offset) AS lo, MAX(src_offset) AS hi FROM " + table + " GROUP BY src_partition")
                .stream().collect(Collectors.toMap(r -> ((Number) r.get("p")).intValue(),
                        r -> r.get("n") + " rows, " + r.get("d") + " distinct offsets " + r.get("lo") + ".." + r.get("hi"), (a, b) -> a, TreeMap::new));
        assertEquals(expected, actual, "rows per source partition");
    }

    private static Map<Integer, Long> endOffsets() throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
