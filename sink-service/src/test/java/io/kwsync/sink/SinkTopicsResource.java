package io.kwsync.sink;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A connector name, rows topic and table of this test run's own, in MariaDB or PostgreSQL (init argument "db"; the
 * table's DDL means the same on both), optionally with a failure policy (init argument "policy").
 */
public class SinkTopicsResource implements QuarkusTestResourceLifecycleManager {

    private String url = TestDatabases.mariadbUrl();
    private String policy;

    @Override
    public void init(Map<String, String> initArgs) {
        if ("postgresql".equals(initArgs.get("db"))) url = TestDatabases.postgresUrl();
        policy = initArgs.get("policy");
    }

    @Override
    public Map<String, String> start() {
        String connector = TestKafka.unique("sink-test");
        TestKafka.createTopic("kwsync-rows-" + connector, 3);
        String table = connector.replace('-', '_');
        TestDatabases.execute(url, "CREATE TABLE " + table + " ("
                + "id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, score DECIMAL(12,3), "
                + "tags JSON, active BOOLEAN, note VARCHAR(32) DEFAULT 'none')");
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "kwsync.connector.name", connector,
                "kwsync.jdbc.url", url,
                "kwsync.jdbc.user", TestDatabases.user(),
                "kwsync.jdbc.password", TestDatabases.password(),
                "kwsync.sink.batch-max-age", "200ms",
                "test.table", table));
        if (policy != null) config.put("kwsync.failure.policy", policy);
        return config;
    }

    @Override
    public void stop() {
    }
}
