package io.kwsync.ingest.mapping;

import java.util.List;

/**
 * A path into a JSON value: keys ({@code a}, or {@code ["a.b"]} for keys with special characters) and array
 * indexes ({@code [1]}). {@link #toString()} is the canonical text, so two spellings of one path compare equal.
 */
public record JsonPath(List<Segment> segments) {

    public JsonPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) throw new IllegalArgumentException("empty JSON path");
    }

    /** One step of a path. */
    public sealed interface Segment permits Key, Index {
    }

    /** An object member. */
    public record Key(String name) implements Segment {
    }

    /** An array element, from 0. */
    public record Index(int index) implements Segment {
    }

    /** The canonical text: bare keys where the syntax allows, quoted keys elsewhere. */
    @Override
    public String toString() {
        return text(segments.size());
    }

    /** The canonical text of the first {@code n} segments; "" for none. */
    public String text(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Segment s = segments.get(i);
            if (s instanceof Index x) {
                sb.append('[').append(x.index()).append(']');
            } else {
                String name = ((Key) s).name();
                if (MappingSyntax.isBareName(name)) {
                    if (i > 0) sb.append('.');
                    sb.append(name);
                } else {
                    sb.append('[').append(MappingSyntax.quote(name)).append(']');
                }
            }
        }
        return sb.toString();
    }
}
