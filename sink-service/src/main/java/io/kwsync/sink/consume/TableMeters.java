package io.kwsync.sink.consume;

import io.kwsync.model.RowEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rows per destination table (kwsync_table_rows_total{table=...}), opt-in and bounded: the first {@code limit} tables
 * seen get a series of their own, every later table counts under {@code table="_other"}, so a stream routed to
 * thousands of tables, or a producer inventing table names, cannot make the metrics endpoint grow without end.
 * With a limit of 0 (the default) nothing is counted and no series exists.
 */
final class TableMeters {

    /** The series of every table beyond the limit. */
    static final String OTHER = "_other";

    private final MeterRegistry registry;
    private final int limit;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile Counter other;

    TableMeters(MeterRegistry registry, int limit) {
        this.registry = registry;
        this.limit = limit;
    }

    /** Counts the rows of a committed batch by their table. */
    void count(List<RowEvent> rows) {
        if (limit == 0) return;
        Map<String, Integer> perTable = new LinkedHashMap<>(); // in batch order: "first seen" means first
        for (RowEvent r : rows) perTable.merge(r.destination().table(), 1, Integer::sum);
        perTable.forEach((table, n) -> counter(table).increment(n));
    }

    private Counter counter(String table) {
        Counter c = counters.get(table);
        if (c != null) return c;
        if (counters.size() >= limit) return other();
        return counters.computeIfAbsent(table, this::register);
    }

    private Counter other() {
        Counter o = other;
        if (o == null) other = o = register(OTHER);
        return o;
    }

    private Counter register(String table) {
        return Counter.builder("kwsync.table.rows")
                .description("Rows of committed batches per destination table (written, refused or skipped as duplicates);"
                        + " tables beyond KWSYNC_SINK_METRICS_TABLES count as _other")
                .tag("table", table).register(registry);
    }
}
