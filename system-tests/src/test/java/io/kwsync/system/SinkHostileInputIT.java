package io.kwsync.system;

import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input on the sink side, through both real services into MariaDB and PostgreSQL: a missing table, a refused
 * row over 1 MB, a row too large for the database, dates before 4713 BC, messages auto-create cannot make a table of,
 * and the classic malformed ones, each followed by a good record. Asserted: every source record exactly once, as a row
 * or as one error-topic record with its stage and reason ({@link HostileLedger}), and the partition keeps flowing (the
 * good record after each bad one is a row within the batch age, 1 s, plus {@code hostile.flow-slack-seconds}, default
 * 20, for the two services on a loaded machine); no retry after the table exists. The kill -9 variant of the dead
 * letters is {@link SinkDeadLettersKillIT}.
 */
class SinkHostileInputIT {

    static final Duration BATCH_AGE = Duration.ofSeconds(1);
    static final Duration FLOW = BATCH_AGE.plusSeconds(Integer.getInteger("hostile.flow-slack-seconds", 20));

    static String url(String db) {
        return db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
    }

    static Map<String, String> env(String connector, String source, String table, String db) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap());
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_JDBC_URL", url(db));
        env.put("KWSYNC_JDBC_USER", TestDatabases.user());
        env.put("KWSYNC_JDBC_PASSWORD", TestDatabases.password());
        env.put("KWSYNC_SINK_BATCH_MAX_AGE", BATCH_AGE.toSeconds() + "s");
        env.put("KWSYNC_SINK_RETRY_BACKOFF_MAX", "2s");
        env.put("KWSYNC_SINK_RETRY_TIMEOUT", "30s"); // a bad record that stalled the batch would end in a give-up
        return env;
    }

    static String source(String connector) {
        String source = connector + "-src";
        TestKafka.createTopic(source, 1, Map.of("max.message.bytes", Integer.toString(64 << 20)));
        return source;
    }

    static double metric(ServiceProcess service, String name) {
        return PrometheusText.value(service.get("/q/metrics"), name, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void eachHostileRecordCostsOnlyItself(String db) {
        boolean pg = db.equals("postgresql");
        String connector = TestKafka.unique("hostile-" + db.substring(0, 2));
        String table = connector.replace('-', '_');
        String auto = connector + "-auto";
        String autoTable = auto.replace('-', '_');
        Map<String, String> autoEnv = env(auto, source(auto), autoTable, db);
        autoEnv.put("KWSYNC_JDBC_AUTO_CREATE_TABLE", "true");
        autoEnv.put("KWSYNC_JDBC_AUTO_ADD_COLUMNS", "true");
        Map<String, String> mainEnv = env(connector, source(connector), table, db);

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", mainEnv);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", mainEnv);
             ServiceProcess autoIngest = new ServiceProcess("ingest-service", auto + "-ingest", autoEnv);
             ServiceProcess autoSink = new ServiceProcess("sink-service", auto + "-sink", autoEnv);
             HostileLedger main = new HostileLedger(connector + "-src", url(db), table, "connect-error-" + connector);
             HostileLedger created = new HostileLedger(auto + "-src", url(db), autoTable, "connect-error-" + auto)) {
            for (ServiceProcess s : List.of(ingest, sink, autoIngest, autoSink)) s.start();
            for (ServiceProcess s : List.of(ingest, sink, autoIngest, autoSink)) s.awaitReady(Duration.ofSeconds(120));

            // the likeliest first mistake: the table does not exist yet
            main.send(1L, "{\"id\":1,\"s\":\"first\"}", null, null);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.status("/q/health/ready") == 503
                    && sink.get("/q/health/ready").contains("destination table " + table + " does not exist"));
            String ready = sink.get("/q/health/ready");
            assertTrue(ready.contains("KWSYNC_JDBC_AUTO_CREATE_TABLE=true"), ready);
            assertFalse(ready.contains("No response from broker"), ready);
            assertEquals(200, sink.status("/q/health/live"));
            StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (id BIGINT NOT NULL, s VARCHAR(10), d DATE, ts "
                    + (pg ? "TIMESTAMP(3), b BYTEA" : "DATETIME(3), b LONGBLOB"));
            if (pg) for (int i = 0; i < 1100; i++) ddl.append(", w").append(i).append(" BIGINT");
            TestDatabases.execute(url(db), ddl.append(')').toString());
            await().atMost(FLOW.plusSeconds(5)).until(() -> main.rows(1) == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.status("/q/health/ready") == 200);
            double retries = metric(sink, "kwsync_write_retries_total");

            long id = 100;
            main.send(++id, "{\"id\":" + id + ",\"s\":\"" + "x".repeat(2 << 20) + "\"}", "WRITE", "2097152 characters, the column holds 10");
            main.sendGoodAndAwait(1001, FLOW);
            if (pg) {
                StringBuilder wide = new StringBuilder("{\"id\":" + ++id);
                for (int i = 0; i < 1100; i++) wide.append(",\"w").append(i).append("\":").append(i);
                main.send(id, wide.append('}').toString(), "WRITE", "row is too big");
            } else {
                byte[] blob = new byte[20 << 20];
                new Random(11).nextBytes(blob);
                main.send(++id, "{\"id\":" + id + ",\"b\":\"" + Base64.getEncoder().encodeToString(blob) + "\"}", "WRITE", "max_allowed_packet");
            }
            main.sendGoodAndAwait(1002, FLOW);
            main.send(++id, "{\"id\":" + id + ",\"d\":\"-5000-01-01\"}", "WRITE", "out of range: the column holds");
            main.sendGoodAndAwait(1003, FLOW);
            main.send(++id, "{\"id\":" + id + ",\"ts\":-99999999999999999}", "WRITE", "out of range: the column holds");
            main.sendGoodAndAwait(1004, FLOW);
            main.send(null, "{\"id\":99999999999999999999999,\"s\":\"big\"}", "WRITE", "out of range");
            main.sendGoodAndAwait(1005, FLOW);
            main.send(++id, "{\"id\":" + id + ",\"s\":\"sql\",\"x'); DROP TABLE " + table + "; --\":1}", null, null);
            main.sendGoodAndAwait(1006, FLOW);
            main.send(null, "{\"id\":107,\"s\":", "DECODE", null);
            main.sendGoodAndAwait(1007, FLOW);
            main.send(null, new byte[]{'{', (byte) 0xff, (byte) 0xfe, '}'}, "DECODE", null);
            main.sendGoodAndAwait(1008, FLOW);

            // auto-create: the table is made from what can be made, the message that needs more is refused
            created.send(1L, "{\"id\":1,\"dup\":\"a\",\"DUP\":\"b\"}", pg ? null : "WRITE", "keys map to column dup more than once");
            created.sendGoodAndAwait(2, FLOW);
            StringBuilder many = new StringBuilder("{\"id\":3");
            for (int i = 0; i < 1700; i++) many.append(",\"k").append(i).append("\":").append(i);
            created.send(3L, many.append('}').toString(), "WRITE", "has no column: table " + autoTable + " has the 200 columns");
            created.sendGoodAndAwait(4, FLOW);

            HostileLedger.Counts m = main.check();
            HostileLedger.Counts a = created.check();
            assertEquals(retries, metric(sink, "kwsync_write_retries_total"), "no batch was retried once the table existed");
            assertEquals(0, metric(autoSink, "kwsync_write_retries_total"));
            for (ServiceProcess s : List.of(sink, autoSink, ingest, autoIngest)) assertEquals(200, s.status("/q/health/live"));
            long tableErrors = sink.output().lines().filter(l -> l.contains(" ERROR ") && l.contains(table)).count();
            assertEquals(1, tableErrors, "the missing table is said once in the log");
            assertFalse(sink.output().contains("from now on"), "bulk loading stays on");
            FaultToleranceIT.report(String.format("HOSTILE sink %s: records=%d rows=%d dead letters=%d (sink %d, ingest %d);"
                            + " auto-create records=%d rows=%d dead letters=%d; slowest good record after a bad one %d ms",
                    db, m.records(), m.rows(), m.deadLetters(), m.refusedBySink(), m.refusedByIngest(),
                    a.records(), a.rows(), a.deadLetters(), Math.max(main.slowestMillis(), created.slowestMillis())));
        }
    }
}
