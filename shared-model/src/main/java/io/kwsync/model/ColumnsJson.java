package io.kwsync.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Map;

/**
 * Writes row columns back as one JSON object: numbers as numbers, nested JSON inline, bytes as base64. Used for
 * rows the destination refused, so the error topic holds something a person or a replay tool can read.
 */
public final class ColumnsJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ColumnsJson() {
    }

    public static byte[] toJson(Map<String, Object> columns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + columns.size() * 16);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : columns.entrySet()) {
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v == null) g.writeNull();
                else if (v instanceof String s) g.writeString(s);
                else if (v instanceof Long l) g.writeNumber(l);
                else if (v instanceof BigDecimal d) g.writeNumber(d);
                else if (v instanceof Double d) g.writeNumber(d);
                else if (v instanceof Boolean b) g.writeBoolean(b);
                else if (v instanceof byte[] b) g.writeString(Base64.getEncoder().encodeToString(b));
                else if (v instanceof JsonText j) g.writeRawValue(j.json());
                else throw new IllegalArgumentException("unsupported value type " + v.getClass());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
