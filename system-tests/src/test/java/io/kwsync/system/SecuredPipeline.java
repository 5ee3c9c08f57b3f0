package io.kwsync.system;

import io.kwsync.testing.TestDatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the secured end-to-end runs share: a table of their own, the services' common env, secret files, row checks. */
final class SecuredPipeline {

    static final String DB = TestDatabases.mariadbUrl();
    static final Path SECRETS = ServiceProcess.REPO.resolve("system-tests/target/secrets");

    private SecuredPipeline() {
    }

    /** A connector of one test: its name, a 3-partition source topic on the shared broker and a MariaDB table. */
    record Connector(String name, String source, String table) {
        static Connector fresh(String prefix) {
            String name = io.kwsync.testing.TestKafka.unique(prefix);
            io.kwsync.testing.TestKafka.createTopic(name + "-src", 3);
            return new Connector(name, name + "-src", SecuredPipeline.table(name));
        }

        /** The variables both services need besides Kafka security. */
        Map<String, String> env(String bootstrap) {
            return SecuredPipeline.env(name, bootstrap, source, table);
        }
    }

    /** A MariaDB table (id, name) named after the connector. */
    static String table(String connector) {
        String table = connector.replace('-', '_');
        TestDatabases.execute(DB, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(40))");
        return table;
    }

    /** The variables both services need besides Kafka security. */
    static Map<String, String> env(String connector, String bootstrap, String source, String table) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_JDBC_URL", DB);
        env.put("KWSYNC_JDBC_USER", TestDatabases.user());
        env.put("KWSYNC_JDBC_PASSWORD", TestDatabases.password());
        env.put("KWSYNC_SINK_BATCH_MAX_AGE", "200ms");
        return env;
    }

    static Map<String, String> with(Map<String, String> env, String... keyValues) {
        Map<String, String> out = new HashMap<>(env);
        for (int i = 0; i < keyValues.length; i += 2) out.put(keyValues[i], keyValues[i + 1]);
        return out;
    }

    /** A file as a mounted Secret would be, under target/secrets. */
    static Path secret(String name, String content) {
        try {
            Files.createDirectories(SECRETS);
            return Files.writeString(SECRETS.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(int id) {
        return "{\"id\":" + id + ",\"name\":\"n" + id + "\"}";
    }

    /** Waits for exactly ids 0..n-1, each once. */
    static void awaitRows(String table, int n) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> TestDatabases.count(DB, table) >= n);
        Map<String, Object> agg = TestDatabases.query(DB, "SELECT COUNT(*) AS c, COUNT(DISTINCT id) AS d, SUM(id) AS s FROM " + table).get(0);
        assertEquals(n, ((Number) agg.get("c")).intValue(), "exactly N rows");
        assertEquals(n, ((Number) agg.get("d")).intValue(), "each id once");
        assertEquals((long) n * (n - 1) / 2, ((Number) agg.get("s")).longValue());
    }
}
