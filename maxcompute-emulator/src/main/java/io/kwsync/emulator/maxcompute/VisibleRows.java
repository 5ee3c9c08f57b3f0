package io.kwsync.emulator.maxcompute;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Told about rows of a partition when they become visible ({@link MaxComputeEmulator#onVisible}). */
@FunctionalInterface
public interface VisibleRows {

    /** @param rows column name -> value; for an upsert commit, the rows upserted or deleted */
    void visible(String project, String table, String spec, List<Map<String, Object>> rows, Instant at);
}
