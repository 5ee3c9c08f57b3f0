package io.kwsync.system;

import io.kwsync.model.DeadLetter;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kill -9 of a MariaDB sink and a PostgreSQL sink (same rows topic) while three records in four are refused with
 * large dead letters, so that many kills land between publishing a batch's refusals and committing it: afterwards
 * every good record is a row once and every refused one is on its sink's error topic once. Sizes:
 * {@code hostile.kill-records} (default 2000), {@code hostile.kill-seconds} (default 20), kills of each sink as in
 * {@link FaultToleranceIT} ({@code faults.kills}).
 */
class SinkDeadLettersKillIT {

    static final int RECORDS = Integer.getInteger("hostile.kill-records", 2000);
    static final int SECONDS = Integer.getInteger("hostile.kill-seconds", 20);
    static final int PARTITIONS = 2;
    static final String REFUSED = "x".repeat(16 * 1024); // the column takes 8 characters

    @Test
    void killNineBetweenPublishingAndCommittingPublishesEachRefusalOnce() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        String connector = TestKafka.unique("dlkill");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, PARTITIONS);
        for (String url : List.of(FaultToleranceIT.MARIADB, FaultToleranceIT.POSTGRES)) {
            TestDatabases.execute(url, "CREATE TABLE " + table + " (id BIGINT NOT NULL, s VARCHAR(8))");
        }
        Map<String, String> ingestEnv = FaultToleranceIT.env(connector, TestKafka.bootstrap(), FaultToleranceIT.MARIADB);
        ingestEnv.remove("KWSYNC_MAPPING_COLUMNS");
        ingestEnv.put("KWSYNC_SOURCE_TOPICS", source);
        ingestEnv.put("KWSYNC_DESTINATION_TABLE", table);
        Map<String, String> mariaEnv = new HashMap<>(ingestEnv);
        Map<String, String> pgEnv = FaultToleranceIT.env(connector + "-pg", TestKafka.bootstrap(), FaultToleranceIT.POSTGRES);
        pgEnv.remove("KWSYNC_MAPPING_COLUMNS");
        pgEnv.put("KWSYNC_ROWS_TOPIC", "kwsync-rows-" + connector);

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
        Map<String, Long> idByCoordinates = new ConcurrentHashMap<>();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess maria = new ServiceProcess("sink-service", connector + "-sink", mariaEnv);
             ServiceProcess pg = new ServiceProcess("sink-service", connector + "-sink-pg", pgEnv);
             KafkaProducer<byte[], byte[]> producer = Delivery.producer(TestKafka.bootstrap())) {
            ingest.startReady(Duration.ofSeconds(120));
            maria.start();
            pg.start();
            maria.awaitReady(Duration.ofSeconds(120));
            pg.awaitReady(Duration.ofSeconds(120));

            AtomicLong next = new AtomicLong();
            AtomicLong acked = new AtomicLong();
            long slice = Math.max(1, RECORDS / (SECONDS * 10L));
            scheduler.scheduleAtFixedRate(() -> {
                for (long n = 0; n < slice && next.get() < RECORDS; n++) {
                    long id = next.getAndIncrement();
                    String json = "{\"id\":" + id + ",\"s\":\"" + (id % 4 == 0 ? "ok" : REFUSED) + "\"}";
                    producer.send(new ProducerRecord<>(source, (int) (id % PARTITIONS), null, json.getBytes(StandardCharsets.UTF_8)),
                            (meta, e) -> {
                                if (e != null) errors.add(e);
                                else {
                                    idByCoordinates.put(meta.partition() + "@" + meta.offset(), id);
                                    acked.incrementAndGet();
                                }
                            });
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            List<FaultToleranceIT.Killer> killers = List.of(new FaultToleranceIT.Killer(maria, new Random(seed), scheduler, errors),
                    new FaultToleranceIT.Killer(pg, new Random(seed + 1), scheduler, errors));
            killers.forEach(FaultToleranceIT.Killer::next);
            await().atMost(Duration.ofSeconds(SECONDS + 60L * FaultToleranceIT.KILLS)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!errors.isEmpty()) throw new AssertionError("kill loop failed", errors.peek());
                return acked.get() == RECORDS && killers.stream().allMatch(FaultToleranceIT.Killer::done);
            });
            String rows = "kwsync-rows-" + connector;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                    Delivery.caughtUp(TestKafka.bootstrap(), "connect-" + connector, source)
                            && Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector, rows)
                            && Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector + "-pg", rows));

            int refused = RECORDS - (RECORDS + 3) / 4;
            int mariaExtra = check(FaultToleranceIT.MARIADB, table, "connect-error-" + connector, source, idByCoordinates, refused);
            int pgExtra = check(FaultToleranceIT.POSTGRES, table, "connect-error-" + connector + "-pg", source, idByCoordinates, refused);
            FaultToleranceIT.report(String.format("HOSTILE dead letters under kill -9 seed=%d records=%d refused=%d kills: mariadb sink %d,"
                            + " postgresql sink %d; extra dead letters: mariadb %d, postgresql %d", seed, RECORDS, refused,
                    killers.get(0).kills.get(), killers.get(1).kills.get(), mariaExtra, pgExtra));
            assertEquals(0, mariaExtra + pgExtra, "no refusal published twice");
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Rows once for the good records, dead letters for the refused ones; returns how many letters are extra. */
    private static int check(String url, String table, String errorTopic, String source, Map<String, Long> idByCoordinates, int refused) {
        Map<Long, Long> rows = new HashMap<>();
        for (Map<String, Object> r : TestDatabases.query(url, "SELECT id, COUNT(*) AS n FROM " + table + " GROUP BY id")) {
            rows.put(((Number) r.get("id")).longValue(), ((Number) r.get("n")).longValue());
        }
        Map<Long, Integer> letters = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> l : TestKafka.read(errorTopic, refused, Duration.ofSeconds(120))) {
            if (!source.equals(HostileLedger.header(l, DeadLetter.TOPIC))) continue;
            Long id = idByCoordinates.get(HostileLedger.header(l, DeadLetter.PARTITION) + "@" + HostileLedger.header(l, DeadLetter.OFFSET));
            letters.merge(id, 1, Integer::sum);
        }
        List<String> wrong = new ArrayList<>();
        int extra = 0;
        for (long id = 0; id < RECORDS; id++) {
            long n = rows.getOrDefault(id, 0L);
            int d = letters.getOrDefault(id, 0);
            if (id % 4 == 0 ? n != 1 || d != 0 : n != 0 || d < 1) wrong.add("id " + id + ": " + n + " rows, " + d + " dead letters");
            if (d > 1) extra += d - 1;
        }
        assertEquals(List.of(), wrong, url + ": every good record a row once, every refused one on the error topic");
        return extra;
    }
}
