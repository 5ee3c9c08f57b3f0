package io.kwsync.sink.consume;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableMetersTest {

    static RowEvent row(long offset, String table) {
        return new RowEvent(new Origin("src", 0, offset, 1L, null, List.of()), Destination.table(table), Map.of("id", offset));
    }

    static Map<String, Double> series(SimpleMeterRegistry registry) {
        Map<String, Double> out = new TreeMap<>();
        for (Counter c : registry.find("kwsync.table.rows").counters()) out.put(c.getId().getTag("table"), c.count());
        return out;
    }

    @Test
    void tenThousandTableNamesMakeAtMostTheLimitPlusOneSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TableMeters meters = new TableMeters(registry, 3);
        meters.count(List.of(row(0, "a"), row(1, "b"), row(2, "a")));
        List<RowEvent> invented = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) invented.add(row(3 + i, "t" + i));
        meters.count(invented);
        meters.count(List.of(row(20_000, "a")));
        Map<String, Double> s = series(registry);
        assertEquals(4, s.size(), s.toString());
        assertEquals(3.0, s.get("a"));
        assertEquals(1.0, s.get("b"));
        assertEquals(1.0, s.get("t0"));
        assertEquals(9_999.0, s.get(TableMeters.OTHER));
    }

    @Test
    void offByDefault() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new TableMeters(registry, 0).count(List.of(row(0, "a")));
        assertTrue(series(registry).isEmpty());
    }
}
