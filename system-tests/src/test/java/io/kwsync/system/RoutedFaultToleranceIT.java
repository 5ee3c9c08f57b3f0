package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 with routing: one connector reads its source topics by pattern and routes each record to one of five tables
 * by a field of its value, the tables interleaved on every source partition, so each batch of the sink writes several
 * tables and the progress of their shared source partitions in one transaction. ingest-service and a MariaDB sink
 * (with {@code -Dfaults.routed-postgres=true} a PostgreSQL sink too) are each killed at random moments; afterwards
 * every source record is in exactly one table, the one its value names, exactly once. Sizes:
 * {@code faults.routed-records} (default 6000), {@code faults.routed-kills} (kills of each service, default 2),
 * {@code faults.seconds} (default 15 here), {@code faults.seed}. The PostgreSQL sink is off by default only to keep
 * the default build short on a 2-core machine: its transaction is the same code as MariaDB's.
 */
class RoutedFaultToleranceIT {

    static final int RECORDS = Integer.getInteger("faults.routed-records", 6_000);
    static final int KILLS = Integer.getInteger("faults.routed-kills", 2);
    static final int SECONDS = Integer.getInteger("faults.seconds", 15);
    static final boolean POSTGRES_TOO = Boolean.getBoolean("faults.routed-postgres");
    static final int TABLES = 5;
    static final int SOURCE_PARTITIONS = 3;
    static final String MARIADB = TestDatabases.mariadbUrl();
    static final String POSTGRES = TestDatabases.postgresUrl();

    @Test
    void killNineWithRecordsForFiveTablesOnTheSamePartitionsLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        System.out.printf("RoutedFaultToleranceIT seed=%d records=%d kills=%d (rerun with -Dfaults.seed=%d)%n", seed, RECORDS, KILLS, seed);
        String connector = TestKafka.unique("routed");
        String prefix = connector.replace('-', '_');
        List<String> sources = List.of(connector + "-src-a", connector + "-src-b");
        for (String s : sources) TestKafka.createTopic(s, SOURCE_PARTITIONS);
        for (int t = 0; t < TABLES; t++) {
            Delivery.createTable(MARIADB, prefix + "_k" + t);
            if (POSTGRES_TOO) Delivery.createTable(POSTGRES, prefix + "_k" + t);
        }
        String rowsTopic = "kwsync-rows-" + connector;

        Map<String, String> ingestEnv = FaultToleranceIT.env(connector, TestKafka.bootstrap(), MARIADB);
        ingestEnv.put("KWSYNC_SOURCE_TOPIC_PATTERN", connector + "-src-.*");
        ingestEnv.put("KWSYNC_DESTINATION_TABLE", prefix + "_${value.kind|lower}");
        ingestEnv.put("KWSYNC_DESTINATION_TABLE_ALLOW", prefix + "_k[0-" + (TABLES - 1) + "]");
        ingestEnv.put("KWSYNC_MAPPING_COLUMNS", "__partition__ => src_partition, __offset__ => src_offset, seq, src => note");
        Map<String, String> sinkEnv = FaultToleranceIT.env(connector, TestKafka.bootstrap(), MARIADB);
        sinkEnv.put("KWSYNC_JDBC_SCHEMA_CACHE_SIZE", "2"); // fewer than the tables: schemas are read again all the time
        Map<String, String> pgEnv = FaultToleranceIT.env(connector + "-pg", TestKafka.bootstrap(), POSTGRES);
        pgEnv.put("KWSYNC_ROWS_TOPIC", rowsTopic);

        long started = System.nanoTime();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(5);
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", sinkEnv);
             ServiceProcess pgSink = new ServiceProcess("sink-service", connector + "-sink-pg", pgEnv)) {
            List<ServiceProcess> services = POSTGRES_TOO ? List.of(ingest, sink, pgSink) : List.of(ingest, sink);
            services.forEach(ServiceProcess::start);
            for (ServiceProcess s : services) s.awaitReady(Duration.ofSeconds(90));

            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            FaultToleranceIT.Producing producing = new FaultToleranceIT.Producing(seq -> record(sources, seq), RECORDS, SECONDS, errors);
            scheduler.scheduleAtFixedRate(producing, 0, 100, TimeUnit.MILLISECONDS);
            List<FaultToleranceIT.Killer> killers = new ArrayList<>();
            for (int i = 0; i < services.size(); i++) {
                killers.add(new FaultToleranceIT.Killer(services.get(i), new Random(seed + i), scheduler, errors, KILLS));
            }
            killers.forEach(FaultToleranceIT.Killer::next);

            await().atMost(Duration.ofSeconds(SECONDS + 60L * KILLS)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!errors.isEmpty()) throw new AssertionError("fault loop failed", errors.peek());
                return producing.done() && killers.stream().allMatch(FaultToleranceIT.Killer::done);
            });
            for (ServiceProcess s : services) s.awaitReady(Duration.ofSeconds(90));

            Map<String, Map<Integer, Long>> end = new HashMap<>();
            for (String s : sources) end.put(s, Delivery.endOffsets(TestKafka.bootstrap(), s));
            assertEquals(RECORDS, end.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    sources.stream().allMatch(s -> Delivery.caughtUp(TestKafka.bootstrap(), "connect-" + connector, s))
                            && Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector, rowsTopic)
                            && (!POSTGRES_TOO || Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector + "-pg", rowsTopic)));

            String maria = check(MARIADB, prefix, end);
            String pg = POSTGRES_TOO ? check(POSTGRES, prefix, end) : "not run";
            FaultToleranceIT.report(String.format("FAULTS routed kill-9 seed=%d records=%d tables=%d kills of each service=%d "
                    + "mariadb: %s; postgresql: %s; duration=%ds", seed, RECORDS, TABLES, KILLS, maria, pg,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
            assertEquals("exact", maria, "MariaDB");
            if (POSTGRES_TOO) assertEquals("exact", pg, "PostgreSQL");
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * The value of record {@code seq}: its sequence number, its topic (the row's {@code note}) and the table it belongs
     * to, K0..K4 (routed in lower case).
     */
    static ProducerRecord<byte[], byte[]> record(List<String> sources, long seq) {
        String topic = sources.get((int) (seq / SOURCE_PARTITIONS % sources.size()));
        String json = "{\"seq\":" + seq + ",\"src\":\"" + topic + "\",\"kind\":\"K" + (seq % TABLES) + "\"}";
        return new ProducerRecord<>(topic, (int) (seq % SOURCE_PARTITIONS), null, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * "exact" when every (topic, partition, offset) below the end offsets is a row exactly once, in the table its
     * value names; otherwise the counts of what is wrong.
     */
    static String check(String url, String prefix, Map<String, Map<Integer, Long>> end) {
        Map<String, Integer> seen = new HashMap<>();
        long rows = 0, misrouted = 0, foreign = 0;
        for (int t = 0; t < TABLES; t++) {
            for (Map<String, Object> r : TestDatabases.query(url, "SELECT note, src_partition, src_offset, seq FROM " + prefix + "_k" + t)) {
                rows++;
                String topic = (String) r.get("note");
                int p = ((Number) r.get("src_partition")).intValue();
                long o = ((Number) r.get("src_offset")).longValue();
                if (((Number) r.get("seq")).longValue() % TABLES != t) misrouted++;
                if (!end.containsKey(topic) || o >= end.get(topic).getOrDefault(p, 0L)) foreign++;
                seen.merge(topic + "/" + p + "/" + o, 1, Integer::sum);
            }
        }
        long records = end.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        long duplicates = seen.values().stream().mapToLong(n -> n - 1).sum();
        long losses = records - (seen.size() - foreign);
        if (rows == records && duplicates == 0 && losses == 0 && misrouted == 0 && foreign == 0) return "exact";
        return "rows=" + rows + " records=" + records + " losses=" + losses + " duplicates=" + duplicates
                + " misrouted=" + misrouted + " foreign=" + foreign;
    }
}
