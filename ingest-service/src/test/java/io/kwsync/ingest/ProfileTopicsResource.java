package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * For test profiles: a connector name of its own and a fresh source topic that takes 16 MiB records; the init
 * arguments are further settings (mapping, failure policy), plus "partitions" for the source topic, and
 * "rows-max-message-bytes" and "errors-max-message-bytes" to create the rows and error topics beforehand with that limit.
 */
public class ProfileTopicsResource implements QuarkusTestResourceLifecycleManager {

    private final Map<String, String> settings = new HashMap<>();
    private int partitions = 3;
    private String rowsMaxMessageBytes;
    private String errorsMaxMessageBytes;

    @Override
    public void init(Map<String, String> initArgs) {
        settings.putAll(initArgs);
        String p = settings.remove("partitions");
        if (p != null) partitions = Integer.parseInt(p);
        rowsMaxMessageBytes = settings.remove("rows-max-message-bytes");
        errorsMaxMessageBytes = settings.remove("errors-max-message-bytes");
    }

    @Override
    public Map<String, String> start() {
        String connector = TestKafka.unique("ingest-map");
        String source = connector + "-src";
        TestKafka.createTopic(source, partitions, Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024)));
        if (rowsMaxMessageBytes != null) {
            TestKafka.createTopic("kwsync-rows-" + connector, 6, Map.of("max.message.bytes", rowsMaxMessageBytes));
        }
        if (errorsMaxMessageBytes != null) {
            TestKafka.createTopic("connect-error-" + connector, 6, Map.of("max.message.bytes", errorsMaxMessageBytes));
        }
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
