package io.kwsync.ingest.job;

import io.kwsync.ingest.config.IngestSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Job and writer mode: ready once the status topic is read and the job's threads run; alive while they run. */
@ApplicationScoped
public class JobHealth {

    private final JobService jobs;
    private final boolean jobMode;

    public JobHealth(JobService jobs, IngestSettings settings) {
        this.jobs = jobs;
        this.jobMode = settings.jobMode();
    }

    @Readiness
    HealthCheck job() {
        return () -> {
            if (!jobMode) return HealthCheckResponse.named("job").up().withData("mode", "stream").build();
            return HealthCheckResponse.named("job").status(jobs.ready()).withData("leader", jobs.isLeader()).build();
        };
    }

    @Liveness
    HealthCheck jobThreads() {
        return () -> HealthCheckResponse.named("job-threads").status(jobs.name().isEmpty() || jobs.threadsAlive()).build();
    }
}
