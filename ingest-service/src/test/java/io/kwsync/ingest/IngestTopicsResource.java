package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Gives each test run its own connector name and a fresh 3-partition source topic on the local broker. */
public class IngestTopicsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String connector = TestKafka.unique("ingest-test");
        String source = connector + "-src";
        TestKafka.createTopicKeepingOldRecords(source, 3); // the job tests write records of 2022
        return Map.of(
                "kwsync.connector.name", connector,
                "kwsync.source.topics", source,
                "kwsync.destination.table", "people");
    }

    @Override
    public void stop() {
    }
}
