package io.kwsync.ingest.preview;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/preview}: per source partition the offsets read, per record the row event it would
 * produce or why it is dirty, and the totals. {@code complete} is false when the read deadline passed before every
 * partition's end was reached (the records read until then are still shown).
 */
@RegisterForReflection
public record PreviewReport(List<String> topics, int recordsPerPartition, boolean complete, Totals totals,
                            List<PartitionRead> partitions, List<RecordPreview> records) {

    /** Records read, and how many would become rows and how many would go to the error topic. */
    @RegisterForReflection
    public record Totals(int records, int rows, int dirty) {
    }

    /** One source partition: offsets {@code from} (inclusive) to {@code to} (exclusive, the end when read). */
    @RegisterForReflection
    public record PartitionRead(String topic, int partition, long from, long to, int records) {
    }

    /**
     * One source record: its coordinates, its key as text (null for none), and either {@code row} or {@code dirty}.
     */
    @RegisterForReflection
    public record RecordPreview(String topic, int partition, long offset, long timestamp, String key, Row row, Dirty dirty) {
    }

    /**
     * The row event: destination table, partition spec ("" for an unpartitioned table), operation and the columns in
     * order (JSON columns as JSON, bytes as base64 text).
     */
    @RegisterForReflection
    public record Row(String table, String partition, String operation, Map<String, Object> columns) {
    }

    /** Why the record is dirty (the reason it would carry on the error topic) and the start of its value. */
    @RegisterForReflection
    public record Dirty(String stage, String reason, String value) {
    }
}
