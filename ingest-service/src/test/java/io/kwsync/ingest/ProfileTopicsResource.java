package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * For test profiles: a connector name of its own and a fresh source topic that takes 16 MiB records; the init
 * arguments are further settings (mapping, failure policy), plus "partitions" for the source topic.
 */
public class ProfileTopicsResource implements QuarkusTestResourceLifecycleManager {

    private final Map<String, String> settings = new HashMap<>();
    private int partitions = 3;

    @Override
    public void init(Map<String, String> initArgs) {
        settings.putAll(initArgs);
        String p = settings.remove("partitions");
        if (p != null) partitions = Integer.parseInt(p);
    }

    @Override
    public Map<String, String> start() {
        String connector = TestKafka.unique("ingest-map");
        String source = connector + "-src";
        TestKafka.createTopic(source, partitions, Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024)));
        Map<String, String> config = new HashMap<>(settings);
        config.put("kwsync.connector.name", connector);
        config.put("kwsync.source.topics", source);
        config.putIfAbsent("kwsync.destination.table", "mapped");
        return config;
    }

    @Override
    public void stop() {
    }
}
