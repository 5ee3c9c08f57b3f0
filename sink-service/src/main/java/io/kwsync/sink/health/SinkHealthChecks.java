package io.kwsync.sink.health;

import io.kwsync.sink.config.Destinations;
import io.kwsync.sink.consume.SinkState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Destination health: ready only while the destination answers; alive unless the writer gave up for good. */
@ApplicationScoped
public class SinkHealthChecks {

    private final DestinationHealth destination;
    private final SinkState state;

    public SinkHealthChecks(Destinations destinations, @Any Instance<DestinationHealth> all, SinkState state) {
        this.destination = destinations.select(all);
        this.state = state;
    }

    @Readiness
    HealthCheck destination() {
        return () -> {
            boolean reachable = destination.reachable();
            var b = HealthCheckResponse.named("destination").status(reachable && state.destinationError() == null)
                    .withData("destination", destination.description());
            if (!reachable) b.withData("error", "destination not reachable");
            String problem = destination.problem();
            if (problem != null) b.withData("problem", problem);
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
