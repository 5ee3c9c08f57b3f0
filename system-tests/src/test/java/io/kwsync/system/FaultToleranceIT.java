package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of ingest-service and of sink-service at random moments while records stream in: afterwards every source
 * record is in the destination exactly once, in MariaDB and in PostgreSQL (two sinks on the same rows topic, each
 * killed on its own). Sizes come from system properties, so dev/faults.sh runs the same test bigger:
 * {@code faults.records} (default 20000), {@code faults.kills} (kills of each service, default 5),
 * {@code faults.seconds} (how long records are produced, default 30), {@code faults.seed} (default: random, printed).
 */
class FaultToleranceIT {

    static final int RECORDS = Integer.getInteger("faults.records", 20_000);
    static final int KILLS = Integer.getInteger("faults.kills", 5);
    static final int SECONDS = Integer.getInteger("faults.seconds", 30);
    static final int SOURCE_PARTITIONS = 4;
    static final String MARIADB = TestDatabases.mariadbUrl();
    static final String POSTGRES = TestDatabases.postgresUrl();

    /** The environment of one service of a fault test; a short session timeout so a restarted replica rejoins fast. */
    static Map<String, String> env(String connector, String bootstrap, String url) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KWSYNC_KAFKA_SESSION_TIMEOUT", "6s");
        env.put("KWSYNC_JDBC_URL", url);
        env.put("KWSYNC_JDBC_USER", TestDatabases.user());
        env.put("KWSYNC_JDBC_PASSWORD", TestDatabases.password());
        env.put("KWSYNC_MAPPING_COLUMNS", Delivery.MAPPING);
        return env;
    }

    @Test
    void killNineOfBothServicesAtRandomMomentsLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        System.out.printf("FaultToleranceIT seed=%d records=%d kills=%d seconds=%d (rerun with -Dfaults.seed=%d)%n",
                seed, RECORDS, KILLS, SECONDS, seed);
        String connector = TestKafka.unique("faults");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, SOURCE_PARTITIONS);
        Delivery.createTable(MARIADB, table);
        Delivery.createTable(POSTGRES, table);
        String rowsTopic = "kwsync-rows-" + connector;

        Map<String, String> ingestEnv = env(connector, TestKafka.bootstrap(), MARIADB);
        ingestEnv.put("KWSYNC_SOURCE_TOPICS", source);
        ingestEnv.put("KWSYNC_DESTINATION_TABLE", table);
        Map<String, String> pgEnv = env(connector + "-pg", TestKafka.bootstrap(), POSTGRES);
        pgEnv.put("KWSYNC_ROWS_TOPIC", rowsTopic);

        long started = System.nanoTime();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(5);
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env(connector, TestKafka.bootstrap(), MARIADB));
             ServiceProcess pgSink = new ServiceProcess("sink-service", connector + "-sink-pg", pgEnv)) {
            ingest.startReady(Duration.ofSeconds(90));
            sink.start();
            pgSink.start();
            sink.awaitReady(Duration.ofSeconds(90));
            pgSink.awaitReady(Duration.ofSeconds(90));

            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Producing producing = new Producing(source, errors);
            scheduler.scheduleAtFixedRate(producing, 0, 100, TimeUnit.MILLISECONDS);
            List<Killer> killers = List.of(new Killer(ingest, new Random(seed), scheduler, errors),
                    new Killer(sink, new Random(seed + 1), scheduler, errors),
                    new Killer(pgSink, new Random(seed + 2), scheduler, errors));
            killers.forEach(Killer::next);

            await().atMost(Duration.ofSeconds(SECONDS + 60L * KILLS)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!errors.isEmpty()) throw new AssertionError("fault loop failed", errors.peek());
                return producing.done() && killers.stream().allMatch(Killer::done);
            });
            for (ServiceProcess s : List.of(ingest, sink, pgSink)) s.awaitReady(Duration.ofSeconds(90));

            Map<Integer, Long> end = Delivery.endOffsets(TestKafka.bootstrap(), source);
            assertEquals(RECORDS, end.values().stream().mapToLong(Long::longValue).sum(), "every record was produced once");
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                    Delivery.caughtUp(TestKafka.bootstrap(), "connect-" + connector, source)
                            && Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector, rowsTopic)
                            && Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector + "-pg", rowsTopic));

            Delivery.Outcome maria = Delivery.check(MARIADB, table, end);
            Delivery.Outcome pg = Delivery.check(POSTGRES, table, end);
            String summary = String.format("FAULTS kill-9 seed=%d records=%d kills: ingest=%d sink=%d (mariadb %d, postgresql %d) "
                            + "mariadb: losses=%d duplicates=%d; postgresql: losses=%d duplicates=%d; duration=%ds",
                    seed, RECORDS, killers.get(0).kills.get(), killers.get(1).kills.get() + killers.get(2).kills.get(),
                    killers.get(1).kills.get(), killers.get(2).kills.get(), maria.losses(), maria.duplicates(),
                    pg.losses(), pg.duplicates(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            report(summary);
            assertTrue(maria.exact(), "MariaDB: " + maria);
            assertTrue(pg.exact(), "PostgreSQL: " + pg);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Prints a summary line and appends it to system-tests/target/faults-summary.txt (dev/faults.sh shows it). */
    static void report(String summary) {
        System.out.println(summary);
        try {
            Path file = ServiceProcess.REPO.resolve("system-tests/target/faults-summary.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, summary + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends the records in equal slices every 100 ms over faults.seconds. */
    static final class Producing implements Runnable {
        private final LongFunction<ProducerRecord<byte[], byte[]>> record;
        private final long records;
        private final Queue<Throwable> errors;
        private final KafkaProducer<byte[], byte[]> producer = Delivery.producer(TestKafka.bootstrap());
        private final long slice;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong acked = new AtomicLong();

        Producing(String topic, Queue<Throwable> errors) {
            this(seq -> Delivery.record(topic, SOURCE_PARTITIONS, seq), RECORDS, SECONDS, errors);
        }

        /** @param record the record of each sequence number, from 0 to {@code records} - 1 */
        Producing(LongFunction<ProducerRecord<byte[], byte[]>> record, long records, int seconds, Queue<Throwable> errors) {
            this.record = record;
            this.records = records;
            this.errors = errors;
            this.slice = Math.max(1, records / (seconds * 10L));
        }

        @Override
        public void run() {
            long from = sent.get();
            long to = Math.min(records, from + slice);
            for (long seq = from; seq < to; seq++) {
                producer.send(record.apply(seq), (meta, e) -> {
                    if (e != null) errors.add(e);
                    else acked.incrementAndGet();
                });
            }
            sent.set(to);
            if (to == records && acked.get() == records) producer.close(Duration.ofSeconds(5));
        }

        boolean done() {
            return acked.get() == records;
        }
    }

    /**
     * Kills one service (kill -9) faults.kills times, each time at a random moment 0.5-4 s after it became ready
     * again, and restarts it at once.
     */
    static final class Killer {
        private final ServiceProcess service;
        private final Random random;
        private final ScheduledExecutorService scheduler;
        private final Queue<Throwable> errors;
        private final int max;
        final AtomicInteger kills = new AtomicInteger();

        Killer(ServiceProcess service, Random random, ScheduledExecutorService scheduler, Queue<Throwable> errors) {
            this(service, random, scheduler, errors, KILLS);
        }

        /** @param max kills in all */
        Killer(ServiceProcess service, Random random, ScheduledExecutorService scheduler, Queue<Throwable> errors, int max) {
            this.service = service;
            this.random = random;
            this.scheduler = scheduler;
            this.errors = errors;
            this.max = max;
        }

        void next() {
            scheduler.schedule(this::kill, 500 + random.nextInt(3500), TimeUnit.MILLISECONDS);
        }

        private void kill() {
            try {
                service.kill();
                kills.incrementAndGet();
                service.start();
                service.awaitReady(Duration.ofSeconds(120));
                if (kills.get() < max) next();
            } catch (Throwable t) {
                errors.add(t);
            }
        }

        boolean done() {
            return kills.get() >= max && service.isAlive();
        }
    }
}
