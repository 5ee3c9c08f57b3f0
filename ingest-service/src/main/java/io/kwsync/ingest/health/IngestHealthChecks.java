package io.kwsync.ingest.health;

import io.kwsync.ingest.pipeline.ConnectorStop;
import io.kwsync.ingest.pipeline.DirtyRecordPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the connector is stopped by a dirty record, with the record and the reason. Liveness stays UP: a
 * restart would only stop at the same record again; the operator fixes the mapping or the policy, then restarts.
 */
@ApplicationScoped
public class IngestHealthChecks {

    private final ConnectorStop stop;
    private final DirtyRecordPolicy policy;

    public IngestHealthChecks(ConnectorStop stop, DirtyRecordPolicy policy) {
        this.stop = stop;
        this.policy = policy;
    }

    @Readiness
    HealthCheck dirtyRecords() {
        return () -> {
            ConnectorStop.Stopped s = stop.stopped();
            var b = HealthCheckResponse.named("dirty-records").status(s == null).withData("dirty", policy.dirtyRecords());
            if (s != null) {
                b.withData("stoppedAt", s.record()).withData("stage", s.stage()).withData("reason", s.reason())
                        .withData("because", s.why());
            }
            return b.build();
        };
    }
}
