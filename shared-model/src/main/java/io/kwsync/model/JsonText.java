package io.kwsync.model;

import java.util.Objects;

/** A nested JSON object or array kept as its JSON text; written to the destination as text (or a JSON column). */
public record JsonText(String json) {
    public JsonText {
        Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
        return json;
    }
}
