package io.kwsync.ingest.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kwsync.model.DirtyRecordException;

import java.util.List;

/**
 * Builds the key and value bytes of one Kafka record from one source row, as DataWorks' Kafka Writer documents it:
 * <ul>
 *   <li>key: the keyIndex column, or the keyIndexes columns' text joined by commas, or none (null); a null key column
 *   is nullKeyFormat when set (a null column inside a joined key is then that text, else empty), else the key is null;</li>
 *   <li>value: the valueIndex column (null: nullValueFormat, else a null value), or every column as text joined by the
 *   field delimiter (a null column is nullValueFormat, else empty), or a JSON object with one field per configured
 *   column name, each converted to its JSON type; a row with more columns than fields loses the rest, one with fewer
 *   fills the missing fields with null (or nullValueFormat, converted like a value);</li>
 *   <li>bytes: key and value serialized as their keyType / valueType ({@link TypedBytes}).</li>
 * </ul>
 * A value that does not convert throws {@link DirtyRecordException} with the reason: the row is dirty. Pure and
 * stateless; one instance serves a whole run.
 */
public final class RecordBuilder {

    /** The key and value bytes; either may be null. */
    public record KeyValue(byte[] key, byte[] value) {
    }

    /** Numbers in plain digits, as in text values: 1000, never 1E+3. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final RecordLayout layout;

    public RecordBuilder(RecordLayout layout) {
        this.layout = layout;
    }

    public RecordLayout layout() {
        return layout;
    }

    /**
     * @param row the source row's values in column order; it has at least {@link RecordLayout#columnsNeeded()} values
     * @throws DirtyRecordException when a value cannot be converted
     */
    public KeyValue build(Object[] row) {
        return new KeyValue(TypedBytes.of(key(row), layout.keyType(), "key", layout.zone()),
                TypedBytes.of(value(row), layout.valueType(), "value", layout.zone()));
    }

    /** The key before serialization: a column's value, joined text, or null. */
    Object key(Object[] row) {
        if (layout.keyIndex() != null) {
            Object v = row[layout.keyIndex()];
            return v != null ? v : layout.nullKeyFormat();
        }
        if (layout.keyIndexes() == null) return null;
        StringBuilder sb = new StringBuilder();
        List<Integer> indexes = layout.keyIndexes();
        for (int i = 0; i < indexes.size(); i++) {
            if (i > 0) sb.append(',');
            Object v = row[indexes.get(i)];
            sb.append(v != null ? SourceText.of(v, layout.zone()) : layout.nullKeyFormat() == null ? "" : layout.nullKeyFormat());
        }
        return sb.toString();
    }

    /** The value before serialization: a column's value, the text of all columns, JSON text, or null. */
    Object value(Object[] row) {
        if (layout.valueIndex() != null) {
            Object v = row[layout.valueIndex()];
            return v != null ? v : layout.nullValueFormat();
        }
        return layout.writeMode() == WriteMode.JSON ? json(row) : text(row);
    }

    private String text(Object[] row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) sb.append(layout.fieldDelimiter());
            Object v = row[i];
            if (v != null) sb.append(SourceText.of(v, layout.zone()));
            else if (layout.nullValueFormat() != null) sb.append(layout.nullValueFormat());
        }
        return sb.toString();
    }

    private String json(Object[] row) {
        ObjectNode o = NODES.objectNode();
        List<JsonField> fields = layout.fields();
        for (int i = 0; i < fields.size(); i++) {
            JsonField f = fields.get(i);
            Object v = i < row.length ? row[i] : null;
            if (v == null) v = layout.nullValueFormat();
            o.set(f.name(), v == null ? NODES.nullNode() : JsonValues.convert(v, f, layout.zone()));
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.MAP, "the JSON value cannot be written", e);
        }
    }
}
