package io.kwsync.bench;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The benchmark's records as Avro in the schema registry's framing ({@code --format=avro}): a record schema with the
 * shape's columns, integers as {@code long} and everything else as {@code string} (the text the JSON records carry),
 * registered once in the local registry. The same row as the JSON record, so both formats load the same table.
 */
final class AvroValues {

    private final Schema schema;
    private final int id;
    private final GenericDatumWriter<GenericRecord> writer;

    private AvroValues(Schema schema, int id) {
        this.schema = schema;
        this.id = id;
        this.writer = new GenericDatumWriter<>(schema);
    }

    /** Registers the schema of the shape's columns, typed after {@code sample} (one record's fields). */
    static AvroValues register(Shape shape, Object[] sample) {
        List<String> columns = shape.columns();
        StringBuilder fields = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            fields.append(c == 0 ? "" : ",").append("{\"name\":\"").append(columns.get(c)).append("\",\"type\":\"")
                    .append(sample[c] instanceof Long ? "long" : "string").append("\"}");
        }
        String text = "{\"type\":\"record\",\"name\":\"bench_" + shape.name().toLowerCase() + "\",\"fields\":[" + fields + "]}";
        try {
            return new AvroValues(new Schema.Parser().parse(text),
                    Registry.register(Registry.url(), "kwsync-bench-" + shape.name().toLowerCase() + "-value", "AVRO", text));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the benchmark's Avro schema at " + Registry.url(), e);
        }
    }

    /** One record's fields (in the shape's column order) as a framed Avro value. */
    byte[] encode(Object[] fields) {
        GenericRecord r = new GenericData.Record(schema);
        for (int c = 0; c < fields.length; c++) {
            r.put(c, fields[c] instanceof Long ? fields[c] : fields[c] instanceof Shape.Stamp s ? s.json() : fields[c].toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(fields.length * 40);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(r, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Registry.frame(id, out.toByteArray(), false);
    }
}
