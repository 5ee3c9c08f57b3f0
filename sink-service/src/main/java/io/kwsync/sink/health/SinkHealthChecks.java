package io.kwsync.sink.health;

import io.kwsync.sink.RowSink;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.consume.SinkState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Destination health: ready only while the database answers; alive unless the writer gave up for good. */
@ApplicationScoped
public class SinkHealthChecks {

    private final RowSink sink;
    private final SinkState state;
    private final String destination;

    public SinkHealthChecks(RowSink sink, SinkState state, SinkConfig config) {
        this.sink = sink;
        this.state = state;
        this.destination = describe(config);
    }

    /** Which destination the check is about: the JDBC URL (checked at start to carry no password), or the project. */
    static String describe(SinkConfig config) {
        return switch (config.sink().type()) {
            case JDBC -> config.jdbc().url().orElse("");
            case MAXCOMPUTE -> "maxcompute project " + config.maxcompute().project().orElse("") + " at "
                    + config.maxcompute().endpoint().orElse("");
        };
    }

    @Readiness
    HealthCheck destination() {
        return () -> {
            boolean reachable = sink.isReachable();
            var b = HealthCheckResponse.named("destination").status(reachable && state.destinationError() == null)
                    .withData("destination", destination);
            if (!reachable) b.withData("error", "destination not reachable");
            if (state.destinationError() != null) b.withData("lastWriteError", state.destinationError());
            SinkState.Stopped stopped = state.stopped();
            if (stopped != null) {
                b.down().withData("stoppedAt", stopped.record()).withData("reason", stopped.reason())
                        .withData("because", "KWSYNC_FAILURE_POLICY is stop");
            }
            return b.build();
        };
    }

    @Liveness
    HealthCheck writer() {
        return () -> {
            Exception failure = state.failure();
            var b = HealthCheckResponse.named("writer").status(failure == null);
            if (failure != null) b.withData("failure", String.valueOf(failure.getMessage()));
            return b.build();
        };
    }
}
