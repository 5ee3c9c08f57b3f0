package io.kwsync.sink;

import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.jdbc.JdbcSinks;
import io.kwsync.sink.maxcompute.MaxComputeSinks;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;
import java.util.Map;

/** Chooses the destination implementation from KWSYNC_SINK_TYPE; adding a destination adds one case here. */
@ApplicationScoped
public class SinkProducers {

    /** Created at start, so a wrong password or database stops the service before it consumes anything. */
    @Produces
    @ApplicationScoped
    @Startup
    RowSink rowSink(SinkConfig config, Clock clock, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return switch (config.sink().type()) {
            case JDBC -> JdbcSinks.create(config, clock);
            case MAXCOMPUTE -> MaxComputeSinks.create(config, kafkaConfig);
        };
    }

    void close(@Disposes RowSink sink) {
        sink.close();
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
