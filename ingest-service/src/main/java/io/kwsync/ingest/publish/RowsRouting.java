package io.kwsync.ingest.publish;

import io.kwsync.model.Origin;

import java.nio.charset.StandardCharsets;

/**
 * Chooses the rows-topic partition of a row: every row of one source partition goes to the same rows partition,
 * so the sink sees each source partition in offset order (its duplicate filter relies on that). Source partitions
 * are spread round-robin rather than by key hash, so six source partitions fill six rows partitions evenly.
 */
public final class RowsRouting {

    private final int rowsPartitions;

    public RowsRouting(int rowsPartitions) {
        if (rowsPartitions < 1) throw new IllegalArgumentException("rowsPartitions < 1");
        this.rowsPartitions = rowsPartitions;
    }

    /** Partitions of the rows topic. */
    public int rowsPartitions() {
        return rowsPartitions;
    }

    public int partition(Origin origin) {
        return Math.floorMod(origin.topic().hashCode() + origin.partition(), rowsPartitions);
    }

    public byte[] key(Origin origin) {
        return (origin.topic() + "/" + origin.partition()).getBytes(StandardCharsets.UTF_8);
    }
}
