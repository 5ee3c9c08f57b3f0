package io.kwsync.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical event between ingest-service and sink-service: one destination row, with where it came from.
 *
 * <p>Column values are limited to the types the codec carries: {@code null}, {@link Boolean}, {@link Long},
 * {@link Double}, {@link java.math.BigDecimal}, {@link String}, {@code byte[]} and {@link JsonText}. Column order is
 * kept. {@code jobId} is null for streaming rows and names the window-job run otherwise.
 */
public record RowEvent(Origin origin, Destination destination, Map<String, Object> columns, String jobId) {

    public RowEvent {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(columns, "columns");
        for (Object v : columns.values()) {
            ColumnType.of(v); // rejects unsupported value types early, at the producer
        }
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public RowEvent(Origin origin, Destination destination, Map<String, Object> columns) {
        this(origin, destination, columns, null);
    }
}
