package io.kwsync.sink.consume;

import io.quarkus.runtime.Startup;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.config.SinkConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters of sink-service, exported on /q/metrics as kwsync_*.
 * Registered at start (eager, not on first use), so every series is present from the first scrape.
 */
@Singleton
@Startup
public class SinkMetrics {

    private final Counter consumed;
    private final Counter written;
    private final Counter duplicates;
    private final Counter rejected;
    private final Counter unknownKeys;
    private final Counter stale;
    private final Counter retries;
    private final DistributionSummary batchRows;
    private final Timer flush;
    private final TableMeters tables;

    public SinkMetrics(MeterRegistry registry, SinkConfig config) {
        tables = new TableMeters(registry, config.sink().metricsTables());
        consumed = Counter.builder("kwsync.records.consumed").description("Row events received from the rows topic")
                .tag("service", "sink").register(registry);
        written = Counter.builder("kwsync.rows.written").description("Rows committed to the destination").register(registry);
        duplicates = Counter.builder("kwsync.rows.duplicate")
                .description("Rows skipped because the destination already had them (replays after a restart)").register(registry);
        rejected = Counter.builder("kwsync.rows.rejected").description("Rows sent to the error topic by the sink")
                .register(registry);
        unknownKeys = Counter.builder("kwsync.keys.unknown").description("JSON keys with no column of that name; ignored")
                .register(registry);
        stale = Counter.builder("kwsync.rows.stale")
                .description("Upserts not written because the table already had a newer version of the row (KWSYNC_JDBC_VERSION_COLUMN)")
                .register(registry);
        retries = Counter.builder("kwsync.write.retries").description("Failed batch writes that were retried")
                .register(registry);
        batchRows = DistributionSummary.builder("kwsync.batch.rows").description("Rows per destination write")
                .publishPercentiles(0.5, 0.99).register(registry);
        flush = Timer.builder("kwsync.flush").description("Time to write and commit one batch")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void consumed(int n) {
        consumed.increment(n);
    }

    void rejected(int n) {
        rejected.increment(n);
    }

    void retried() {
        retries.increment();
    }

    /** The rows of a committed batch, per table (when KWSYNC_SINK_METRICS_TABLES is above 0). */
    void tables(List<RowEvent> rows) {
        tables.count(rows);
    }

    void flushed(int batchSize, WriteResult r, long nanos) {
        batchRows.record(batchSize);
        flush.record(nanos, TimeUnit.NANOSECONDS);
        written.increment(r.written());
        duplicates.increment(r.duplicates());
        unknownKeys.increment(r.unknownKeys());
        stale.increment(r.stale());
    }
}
