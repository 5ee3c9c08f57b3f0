package io.kwsync.sink;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A MaxCompute emulator with an empty project, a connector name and rows topic of this run, the AccessKey secret in a
 * mounted-style file, and a table the sink must create at start.
 */
public class MaxComputeSinkResource implements QuarkusTestResourceLifecycleManager {

    static final String PROJECT = "kwsync_quarkus";
    private MaxComputeEmulator emulator;

    @Override
    public Map<String, String> start() {
        emulator = MaxComputeEmulator.start().createProject(PROJECT);
        String connector = TestKafka.unique("mc-sink-test");
        TestKafka.createTopic("kwsync-rows-" + connector, 3);
        Path secret;
        try {
            secret = Files.createTempFile("maxcompute-access-key", "");
            Files.writeString(secret, MaxComputeEmulator.ACCESS_KEY + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("kwsync.connector.name", connector),
                Map.entry("kwsync.sink.type", "maxcompute"),
                Map.entry("kwsync.sink.batch-max-age", "200ms"),
                Map.entry("kwsync.maxcompute.commit-interval", "1s"),
                Map.entry("kwsync.maxcompute.endpoint", emulator.endpoint()),
                Map.entry("kwsync.maxcompute.project", PROJECT),
                Map.entry("kwsync.maxcompute.table", connector.replace('-', '_')),
                Map.entry("kwsync.maxcompute.create-table", "key-value"),
                Map.entry("kwsync.maxcompute.access-id", MaxComputeEmulator.ACCESS_ID),
                Map.entry("kwsync.maxcompute.access-key-file", secret.toString()),
                // test classes are validated together: JdbcSinkTest's injection point must resolve here too
                Map.entry("test.table", "unused"));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(emulator, new TestInjector.MatchesType(MaxComputeEmulator.class));
    }

    @Override
    public void stop() {
        if (emulator != null) emulator.close();
    }
}
