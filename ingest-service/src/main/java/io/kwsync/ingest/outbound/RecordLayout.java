package io.kwsync.ingest.outbound;

import io.kwsync.ingest.mapping.KafkaType;

import java.time.ZoneId;
import java.util.List;

/**
 * How the Kafka Writer builds a record from a row, DataWorks' writer parameters validated: where the key comes from
 * (one column, several joined by commas, or none), where the value comes from (one column, or all columns as text or
 * JSON), the text of nulls, and the types keys and values are serialized as.
 *
 * @param keyIndex        the key column (keyIndex), or null
 * @param keyIndexes      the key columns joined by commas (keyIndexes), or null; never both
 * @param valueIndex      the value column (valueIndex), or null for all columns
 * @param fields          the JSON fields of a json value (column), empty in text mode
 * @param fieldDelimiter  separator of the columns of a text value (fieldDelimiter), escapes resolved
 * @param nullKeyFormat   text for a null key column (nullKeyFormat), or null: the key stays null
 * @param nullValueFormat text for a null column in the value (nullValueFormat), or null
 * @param zone            where values with a time zone are shown (the job's zone)
 */
public record RecordLayout(Integer keyIndex, List<Integer> keyIndexes, Integer valueIndex, WriteMode writeMode,
                           List<JsonField> fields, String fieldDelimiter, String nullKeyFormat, String nullValueFormat,
                           KafkaType keyType, KafkaType valueType, ZoneId zone) {

    public RecordLayout {
        if (keyIndex != null && keyIndexes != null) throw new IllegalArgumentException("keyIndex and keyIndexes exclude each other");
        keyIndexes = keyIndexes == null ? null : List.copyOf(keyIndexes);
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** The columns a row must have at least: one more than the highest index used (0 when none is). */
    public int columnsNeeded() {
        int max = -1;
        if (keyIndex != null) max = keyIndex;
        if (keyIndexes != null) for (int i : keyIndexes) max = Math.max(max, i);
        if (valueIndex != null) max = Math.max(max, valueIndex);
        return max + 1;
    }
}
