package io.kwsync.ingest.pipeline;

import io.quarkus.runtime.Startup;
import io.kwsync.model.DirtyRecordException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;

/**
 * The counters of ingest-service, exported on /q/metrics as kwsync_*.
 * Registered at start (eager, not on first use), so every series is present from the first scrape.
 */
@Singleton
@Startup
public class IngestMetrics {

    private final Counter consumed;
    private final Counter published;
    private final Counter dirtyPublished;
    private final Counter held;
    private final Map<DirtyRecordException.Stage, Counter> dirty = new EnumMap<>(DirtyRecordException.Stage.class);

    public IngestMetrics(MeterRegistry registry, ConnectorStop stop) {
        consumed = Counter.builder("kwsync.records.consumed").description("Source records received")
                .tag("service", "ingest").register(registry);
        published = Counter.builder("kwsync.rows.published").description("Row events acknowledged by the rows topic")
                .register(registry);
        dirtyPublished = Counter.builder("kwsync.records.dead.lettered")
                .description("Dirty records acknowledged by the error topic").tag("service", "ingest").register(registry);
        held = Counter.builder("kwsync.records.held")
                .description("Records left unacknowledged because the connector stopped; read again after a restart")
                .tag("service", "ingest").register(registry);
        Gauge.builder("kwsync.connector.stopped", stop, s -> s.isStopped() ? 1 : 0).strongReference(true)
                .description("1 while the connector is stopped by a dirty record (failure policy stop or error limit)")
                .tag("service", "ingest").register(registry);
        for (DirtyRecordException.Stage s : DirtyRecordException.Stage.values()) {
            dirty.put(s, Counter.builder("kwsync.records.dirty").description("Records that could not become rows")
                    .tag("service", "ingest").tag("stage", s.name().toLowerCase()).register(registry));
        }
    }

    void consumed(int records) {
        consumed.increment(records);
    }

    void published(int rows) {
        published.increment(rows);
    }

    void deadLettered(int records) {
        dirtyPublished.increment(records);
    }

    void held() {
        held.increment();
    }

    void dirty(DirtyRecordException.Stage stage) {
        dirty.get(stage).increment();
    }
}
