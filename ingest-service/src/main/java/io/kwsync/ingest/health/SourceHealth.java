package io.kwsync.ingest.health;

import io.kwsync.ingest.pipeline.SourceConsumers;
import io.kwsync.ingest.pipeline.SourceState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.util.List;

/**
 * Streaming mode, the source consumers ({@link SourceConsumers}). Ready once every consumer has joined its group and
 * while each one polled within the last {@link #STALE_MS} ms (a consumer that cannot reach the group coordinator
 * never joins; one stuck awaiting sends, or a record waiting for the schema registry, does not poll). Alive until a
 * consumer's loop ended on its own (a failed send to the rows or error topic, a fatal client error): then nothing
 * moves any more and only a restart reads the records again. In job and writer mode no consumer runs and both are UP.
 */
@ApplicationScoped
public class SourceHealth {

    static final long STALE_MS = 30_000;

    private final SourceConsumers consumers;
    private final Clock clock;

    public SourceHealth(SourceConsumers consumers, Clock clock) {
        this.consumers = consumers;
        this.clock = clock;
    }

    @Readiness
    HealthCheck sourceReadiness() {
        return () -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("source-consumers");
            if (!consumers.streaming()) return b.up().withData("consumers", 0).build();
            List<SourceState> states = consumers.states();
            if (states.isEmpty()) return b.down().withData("reason", "not started yet").build();
            long now = clock.millis();
            boolean up = true;
            for (SourceState s : states) {
                String why = s.failure() != null ? "stopped: " + s.failure()
                        : !s.joined() ? "has not joined its consumer group yet (is the broker reachable?)"
                        : now - s.lastPoll() > STALE_MS ? "has not polled for " + (now - s.lastPoll()) + " ms" : null;
                if (why != null) {
                    up = false;
                    b.withData(s.consumer(), why);
                }
            }
            return b.status(up).build();
        };
    }

    @Liveness
    HealthCheck sourceLiveness() {
        return () -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("source-consumers").up();
            for (SourceState s : consumers.states()) {
                if (s.failure() != null) b.down().withData(s.consumer(), String.valueOf(s.failure()));
            }
            return b.build();
        };
    }
}
