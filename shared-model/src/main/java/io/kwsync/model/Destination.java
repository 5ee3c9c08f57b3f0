package io.kwsync.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a row goes: a table and, for partitioned tables, the partition spec as ordered column=value pairs
 * (for example {@code pt=2020111714} or {@code ds=20221122,hh=10}). An empty spec means an unpartitioned table.
 */
public record Destination(String table, Map<String, String> partition) {

    public Destination {
        Objects.requireNonNull(table, "table");
        partition = partition == null || partition.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(partition));
    }

    public static Destination table(String table) {
        return new Destination(table, Map.of());
    }

    /** The MaxCompute-style spec text, {@code a=1,b=2}; empty for an unpartitioned table. */
    public String partitionSpec() {
        StringBuilder sb = new StringBuilder();
        partition.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    @Override
    public String toString() {
        return partition.isEmpty() ? table : table + "/" + partitionSpec();
    }
}
