package io.kwsync.ingest.writer;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * For writer-mode tests: a connector name of its own, a 3-partition target topic and a MariaDB source table,
 * {@code CREATE TABLE <connector> (...)} with the columns given as the init argument "columns"; the other init
 * arguments are settings.
 */
public class WriterTablesResource implements QuarkusTestResourceLifecycleManager {

    private final Map<String, String> settings = new HashMap<>();
    private String columns;

    @Override
    public void init(Map<String, String> initArgs) {
        settings.putAll(initArgs);
        columns = settings.remove("columns");
    }

    @Override
    public Map<String, String> start() {
        String connector = TestKafka.unique("writer");
        String table = connector.replace('-', '_');
        TestKafka.createTopic(connector + "-out", 3);
        TestDatabases.execute(TestDatabases.mariadbUrl(), "CREATE TABLE " + table + " (" + columns + ")");
        Map<String, String> config = new HashMap<>(settings);
        config.put("kwsync.connector.name", connector);
        config.put("kwsync.writer.topic", connector + "-out");
        config.put("kwsync.writer.source.jdbc-url", TestDatabases.mariadbUrl());
        config.put("kwsync.writer.source.jdbc-user", TestDatabases.user());
        config.put("kwsync.writer.source.jdbc-password", TestDatabases.password());
        config.put("kwsync.writer.source.table", table);
        return config;
    }

    @Override
    public void stop() {
    }
}
