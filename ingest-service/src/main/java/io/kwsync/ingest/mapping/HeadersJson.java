package io.kwsync.ingest.mapping;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kwsync.model.Header;
import io.kwsync.ingest.mapping.JsonColumns;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code __headers__} column: the record headers as one JSON object, in the order the names first appear.
 *
 * <ul>
 *   <li>a header value that is valid UTF-8 is a JSON string: {@code {"trace":"abc"}};</li>
 *   <li>a null value is JSON null;</li>
 *   <li>any other bytes are kept, base64-encoded, in an object: {@code {"sig":{"base64":"3q2+7w=="}}};</li>
 *   <li>a name that occurs more than once gets an array of its values in record order:
 *       {@code {"hop":["a","b"]}}.</li>
 * </ul>
 * A record without headers gives {@code {}}.
 */
public final class HeadersJson {

    private HeadersJson() {
    }

    public static String of(List<Header> headers) {
        if (headers.isEmpty()) return "{}";
        Map<String, List<byte[]>> byName = new LinkedHashMap<>();
        for (Header h : headers) {
            byName.computeIfAbsent(h.name(), n -> new ArrayList<>(1)).add(h.value());
        }
        StringWriter w = new StringWriter(32 * headers.size());
        try (JsonGenerator g = JsonColumns.FACTORY.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, List<byte[]>> e : byName.entrySet()) {
                g.writeFieldName(e.getKey());
                List<byte[]> values = e.getValue();
                if (values.size() == 1) {
                    writeValue(g, values.get(0));
                } else {
                    g.writeStartArray();
                    for (byte[] v : values) writeValue(g, v);
                    g.writeEndArray();
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeValue(JsonGenerator g, byte[] value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        String text = StrictText.decodeOrNull(value, StandardCharsets.UTF_8);
        if (text != null) {
            g.writeString(text);
        } else {
            g.writeStartObject();
            g.writeStringField("base64", Base64.getEncoder().encodeToString(value));
            g.writeEndObject();
        }
    }
}
