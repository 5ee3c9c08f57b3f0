package io.kwsync.sink;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A connector name, rows topic and MariaDB table of this test run's own. */
public class SinkTopicsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String connector = TestKafka.unique("sink-test");
        TestKafka.createTopic("kwsync-rows-" + connector, 3);
        String table = connector.replace('-', '_');
        TestDatabases.execute(TestDatabases.mariadbUrl(), "CREATE TABLE " + table + " ("
                + "id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, score DECIMAL(12,3), "
                + "tags JSON, active BOOLEAN, note VARCHAR(32) DEFAULT 'none')");
        return Map.of(
                "kwsync.connector.name", connector,
                "kwsync.jdbc.url", TestDatabases.mariadbUrl(),
                "kwsync.jdbc.user", TestDatabases.user(),
                "kwsync.jdbc.password", TestDatabases.password(),
                "kwsync.sink.batch-max-age", "200ms",
                "test.table", table);
    }

    @Override
    public void stop() {
    }
}
