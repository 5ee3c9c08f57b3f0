package io.kwsync.ingest.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Meters of the job path of ingest-service, on /q/metrics as kwsync_job_*. */
@Singleton
public class JobMetrics {

    private final MeterRegistry registry;
    private final Counter read;
    private final Counter published;
    private final Counter dirty;
    private final Map<RunStatus.State, Counter> finished = new EnumMap<>(RunStatus.State.class);

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        read = Counter.builder("kwsync.job.records.read").description("Source records read by job runs").register(registry);
        published = Counter.builder("kwsync.job.rows.published").description("Rows job runs sent to the rows topic").register(registry);
        dirty = Counter.builder("kwsync.job.records.dirty").description("Records of job runs sent to the error topic").register(registry);
        for (RunStatus.State s : new RunStatus.State[]{RunStatus.State.SUCCEEDED, RunStatus.State.FAILED}) {
            finished.put(s, Counter.builder("kwsync.job.runs").description("Job runs finished by this replica")
                    .tag("state", s.name().toLowerCase()).register(registry));
        }
    }

    void leaderGauge(BooleanSupplier leader) {
        Gauge.builder("kwsync.job.leader", () -> leader.getAsBoolean() ? 1 : 0)
                .description("1 while this replica fires the schedule and runs the job").register(registry);
    }

    public void read() {
        read.increment();
    }

    void published() {
        published.increment();
    }

    public void dirty() {
        dirty.increment();
    }

    public void finished(RunStatus.State state) {
        finished.get(state).increment();
    }
}
