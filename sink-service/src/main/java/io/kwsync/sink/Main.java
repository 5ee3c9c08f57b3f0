package io.kwsync.sink;

import io.kwsync.runtime.config.EnvVars;
import io.kwsync.runtime.kafka.NativeLz4;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the service; a start-up failure caused by configuration is reported with its environment variable. */
@QuarkusMain
public class Main {
    public static void main(String... args) {
        NativeLz4.load(); // before any Kafka client: lz4 batches through JNI, not the pure-Java codec
        Quarkus.run(null, (code, failure) -> {
            if (failure != null) {
                System.err.println("kwsync sink-service failed to start: " + EnvVars.describeFailure(failure));
            }
            System.exit(code);
        }, args);
    }
}
