package io.kwsync.sink.preview;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.kwsync.model.Destination;
import io.kwsync.model.JsonText;
import io.kwsync.model.LoneSurrogates;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.DestinationPreview;
import io.kwsync.sink.SinkException;
import io.kwsync.runtime.api.JsonProblems;
import io.kwsync.sink.config.Destinations;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POST /api/preview on sink-service: what the destination would do with sample rows ({@link DestinationPreview}),
 * without creating, altering or writing anything. The body is {@code {"table": "t", "rows": [{"col": value, ...}]}},
 * rows as ingest-service's preview shows them; JSON objects and arrays are JSON column values. Behind the API token.
 */
@Path("/api/preview")
// The answer is a Response entity, which Quarkus does not register for native reflection by itself.
@RegisterForReflection(targets = {DestinationPreview.Result.class, DestinationPreview.Refusal.class})
public class SinkPreviewResource {

    /** The most sample rows one preview takes. */
    static final int MAX_ROWS = 100;

    /** A refused call: {"error": "...", "message": "..."}, as the other endpoints answer. */
    @RegisterForReflection
    public record Refusal(String error, String message) {
    }

    private final Optional<DestinationPreview> preview;
    private final String type;
    private final ObjectReader reader;

    public SinkPreviewResource(Destinations destinations, @Any Instance<DestinationPreview> previews, ObjectMapper json) {
        this.preview = destinations.find(previews);
        this.type = destinations.type();
        // Decimals stay decimals: 3.10 must reach a DECIMAL column as written, not as the double nearest to it.
        this.reader = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response preview(String body) {
        if (preview.isEmpty()) {
            return refuse(Response.Status.NOT_IMPLEMENTED, "not_available", "the " + type + " destination has no preview");
        }
        String table;
        List<RowEvent> rows = new ArrayList<>();
        try {
            JsonNode root = reader.readTree(body == null ? "" : body);
            if (root == null || !root.isObject()) throw new IllegalArgumentException("the body must be a JSON object {\"table\": ..., \"rows\": [...]}");
            JsonNode t = root.get("table");
            if (t == null || !t.isTextual() || t.asText().isBlank()) throw new IllegalArgumentException("\"table\" (text) is required");
            table = t.asText().strip();
            JsonNode sample = root.get("rows");
            if (sample == null || !sample.isArray() || sample.isEmpty() || sample.size() > MAX_ROWS) {
                throw new IllegalArgumentException("\"rows\" must be an array of 1 to " + MAX_ROWS + " JSON objects");
            }
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("table") && !name.equals("rows")) throw new IllegalArgumentException("unknown field \"" + name + "\" (known fields: rows, table)");
            }
            for (int i = 0; i < sample.size(); i++) rows.add(row(table, i, sample.get(i)));
        } catch (JsonProcessingException e) {
            return refuse(Response.Status.BAD_REQUEST, JsonProblems.code(e), JsonProblems.describe(e));
        } catch (IOException e) {
            return refuse(Response.Status.BAD_REQUEST, "invalid_json", "the body cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return refuse(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage());
        }
        try {
            return Response.ok(preview.get().preview(table, rows)).build();
        } catch (IllegalArgumentException e) {
            return refuse(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage());
        } catch (SinkException e) {
            return refuse(Response.Status.SERVICE_UNAVAILABLE, "destination_unavailable", e.getMessage());
        }
    }

    /** Sample row {@code i} as a row event: numbered by its origin's offset, values of the rows topic's types. */
    private static RowEvent row(String table, int i, JsonNode row) {
        if (!row.isObject()) throw new IllegalArgumentException("rows[" + i + "] is not a JSON object");
        Map<String, Object> columns = new LinkedHashMap<>();
        row.fields().forEachRemaining(f -> columns.put(text(f.getKey(), i), value(f.getValue(), i)));
        return new RowEvent(new Origin("preview", 0, i, -1, null, List.of()), Destination.table(table), columns);
    }

    /** Text Kafka and the databases can carry: a lone UTF-16 surrogate is refused, as in every request body. */
    private static String text(String s, int i) {
        String problem = LoneSurrogates.problem(s);
        if (problem != null) throw new IllegalArgumentException("rows[" + i + "] holds text with " + problem);
        return s;
    }

    private static Object value(JsonNode v, int i) {
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isIntegralNumber()) return v.canConvertToLong() ? (Object) v.longValue() : v.decimalValue();
        if (v.isNumber()) return v.decimalValue();
        if (v.isTextual()) return text(v.textValue(), i);
        return new JsonText(text(v.toString(), i));
    }

    private static Response refuse(Response.Status status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Refusal(error, message)).build();
    }
}
