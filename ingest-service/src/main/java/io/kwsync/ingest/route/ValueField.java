package io.kwsync.ingest.route;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.List;

/**
 * Reads one scalar out of a JSON object value by a path of member names ({@code event_type}, {@code meta.kind}),
 * streaming: members off the path are skipped without being built. Only what a table name can be made of counts as
 * found: a string, a number or a boolean, as its text. Pure.
 */
final class ValueField {

    private static final JsonFactory JSON = new JsonFactory();

    private ValueField() {
    }

    /** The text at {@code path}, or null when the value is not a JSON object or has no scalar there. */
    static String read(byte[] value, List<String> path) {
        if (value == null) return null;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            return find(p, path, 0);
        } catch (IOException e) {
            return null;
        }
    }

    /** With the parser just inside an object: the scalar at path[depth..], or null. */
    private static String find(JsonParser p, List<String> path, int depth) throws IOException {
        String wanted = path.get(depth);
        String found = null;
        boolean seen = false;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (seen || !name.equals(wanted)) {
                p.skipChildren();
                continue;
            }
            seen = true; // the first member of that name counts, as for the column mapping
            if (depth + 1 < path.size()) {
                if (v == JsonToken.START_OBJECT) found = find(p, path, depth + 1);
                else p.skipChildren();
            } else if (v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                found = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }
}
