package io.kwsync.ingest.partition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Where a partition value is read from in a record: {@code value.PATH} (a member of a JSON object value, by a dotted
 * path of member names), {@code key} or {@code header.NAME} (as UTF-8 text), or {@code topic}. The same field names as
 * routing's table templates, so that an operator learns one vocabulary.
 *
 * <p>Reading tells apart what the record does not have (missing), an explicit JSON null, and a value of the wrong JSON
 * type, so that a dirty record's reason says which. JSON values are read streaming: members off the path are skipped
 * without being built. Pure and immutable.
 */
public final class PartitionField {

    private static final JsonFactory JSON = new JsonFactory();

    private enum Kind { VALUE, KEY, HEADER, TOPIC }

    /** What a record holds at the field. */
    public enum Found {
        /** Not there: no such member, no key, no such header, or a value that is not a JSON object. */
        MISSING,
        /** An explicit JSON null (or a header without a value). */
        NULL,
        /** A JSON string, or key, header or topic text. */
        TEXT,
        /** A JSON number, as written. */
        NUMBER,
        /** A JSON true or false. */
        BOOLEAN,
        /** A JSON object or array. */
        STRUCTURE
    }

    /** One read: what was found and, for text, numbers and booleans, its text. */
    public record Read(Found found, String text) {
        static final Read MISSING = new Read(Found.MISSING, null);
        static final Read NULL = new Read(Found.NULL, null);
        static final Read STRUCTURE = new Read(Found.STRUCTURE, null);
    }

    private final String source;
    private final Kind kind;
    private final String header;
    private final List<String> path;

    private PartitionField(String source, Kind kind, String header, List<String> path) {
        this.source = source;
        this.kind = kind;
        this.header = header;
        this.path = path;
    }

    /** @throws IllegalArgumentException saying which forms exist */
    public static PartitionField parse(String text) {
        String s = text.strip();
        if (s.equals("key")) return new PartitionField(s, Kind.KEY, null, null);
        if (s.equals("topic")) return new PartitionField(s, Kind.TOPIC, null, null);
        if (s.startsWith("header.") && s.length() > 7) return new PartitionField(s, Kind.HEADER, s.substring(7), null);
        if (s.startsWith("value.") && s.length() > 6) {
            List<String> path = Arrays.asList(s.substring(6).split("\\.", -1));
            if (path.stream().noneMatch(String::isEmpty)) return new PartitionField(s, Kind.VALUE, null, List.copyOf(path));
        }
        throw new IllegalArgumentException("'" + text + "' is not a field: use value.PATH (e.g. value.region or"
                + " value.meta.ts), key, header.NAME or topic");
    }

    /** Whether the field reads the JSON value (and so needs a JSON value format). */
    public boolean readsValue() {
        return kind == Kind.VALUE;
    }

    /** What one record holds at the field. */
    public Read read(Origin origin, byte[] value) {
        return switch (kind) {
            case TOPIC -> new Read(Found.TEXT, origin.topic());
            case KEY -> origin.key() == null ? Read.MISSING : new Read(Found.TEXT, new String(origin.key(), StandardCharsets.UTF_8));
            case HEADER -> header(origin);
            case VALUE -> json(value, path);
        };
    }

    private Read header(Origin origin) {
        Read found = Read.MISSING;
        for (Header h : origin.headers()) { // the last header of a name wins, as in routing
            if (h.name().equals(header)) found = h.value() == null ? Read.NULL : new Read(Found.TEXT, new String(h.value(), StandardCharsets.UTF_8));
        }
        return found;
    }

    /**
     * What a JSON object value holds at a path of member names, read streaming; {@link Found#MISSING} for a value that
     * is not a JSON object. Routing's {@code ${value.PATH}} reads through here too.
     */
    public static Read json(byte[] value, List<String> path) {
        if (value == null) return Read.MISSING;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Read.MISSING;
            return find(p, path, 0);
        } catch (IOException e) {
            return Read.MISSING; // not JSON: the mapper names that problem; here the field is simply not found
        }
    }

    /** With the parser just inside an object: what is at path[depth..]. The first member of a name counts. */
    private static Read find(JsonParser p, List<String> path, int depth) throws IOException {
        String wanted = path.get(depth);
        Read found = Read.MISSING;
        boolean seen = false;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (seen || !name.equals(wanted)) {
                p.skipChildren();
                continue;
            }
            seen = true;
            if (depth + 1 < path.size()) {
                if (v == JsonToken.START_OBJECT) found = find(p, path, depth + 1);
                else p.skipChildren();
            } else {
                found = switch (v) {
                    case VALUE_STRING -> new Read(Found.TEXT, p.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Read(Found.NUMBER, p.getText());
                    case VALUE_TRUE, VALUE_FALSE -> new Read(Found.BOOLEAN, p.getText());
                    case VALUE_NULL -> Read.NULL;
                    default -> Read.STRUCTURE;
                };
                p.skipChildren();
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return source;
    }
}
