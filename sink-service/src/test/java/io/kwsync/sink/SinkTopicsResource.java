package io.kwsync.sink;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A connector name, rows topic and table of this test run's own, in MariaDB or PostgreSQL (init argument "db"; the
 * table's DDL means the same on both), optionally with a failure policy (init argument "policy"). Init argument
 * "table" = "missing" leaves the table to the test; "retry" = "fast" retries at least every half second, "give-up" sets
 * the retry timeout; "progress" = "own" gives the connector a progress table of its own (test.progress-table); "error-max-bytes"
 * creates the error topic beforehand with that max.message.bytes.
 */
public class SinkTopicsResource implements QuarkusTestResourceLifecycleManager {

    private String url = TestDatabases.mariadbUrl();
    private String policy;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        if ("postgresql".equals(initArgs.get("db"))) url = TestDatabases.postgresUrl();
        policy = initArgs.get("policy");
        args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        String connector = TestKafka.unique("sink-test");
        // rows of up to 64 MiB pass the pipeline, as on the topic ingest-service creates
        TestKafka.createTopic("kwsync-rows-" + connector, 3, Map.of("max.message.bytes", Integer.toString(64 << 20)));
        String table = connector.replace('-', '_');
        if (!"missing".equals(args.get("table"))) {
            TestDatabases.execute(url, "CREATE TABLE " + table + " ("
                    + "id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, score DECIMAL(12,3), "
                    + "tags JSON, active BOOLEAN, note VARCHAR(32) DEFAULT 'none')");
        }
        if (args.containsKey("error-max-bytes")) {
            TestKafka.createTopic("connect-error-" + connector, 3, Map.of("max.message.bytes", args.get("error-max-bytes")));
        }
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "kwsync.connector.name", connector,
                "kwsync.jdbc.url", url,
                "kwsync.jdbc.user", TestDatabases.user(),
                "kwsync.jdbc.password", TestDatabases.password(),
                "kwsync.sink.batch-max-age", "200ms",
                "test.table", table));
        if (policy != null) config.put("kwsync.failure.policy", policy);
        if ("fast".equals(args.get("retry"))) config.put("kwsync.sink.retry-backoff-max", "500ms");
        if (args.containsKey("give-up")) config.put("kwsync.sink.retry-timeout", args.get("give-up"));
        if ("own".equals(args.get("progress"))) {
            config.put("kwsync.jdbc.progress-table", table + "_p");
            config.put("test.progress-table", table + "_p");
        }
        return config;
    }

    @Override
    public void stop() {
    }
}
