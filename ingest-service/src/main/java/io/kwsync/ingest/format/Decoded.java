package io.kwsync.ingest.format;

import java.util.Objects;

/**
 * A decoded key or value, in one of the two forms the column mapping reads.
 *
 * <p>{@link Json}: JSON text (UTF-8 bytes), read exactly as a plain JSON topic is read today: top-level keys as
 * columns ({@code JsonColumns.parseObject}) or JSON paths in one streaming pass. JSON Schema payloads come out so.
 *
 * <p>{@link Tree}: a value already decoded from a binary format (Avro, Protobuf) or a change-event envelope, built
 * from {@link java.util.Map} (records, messages, maps; insertion order kept), {@link java.util.List} (arrays,
 * repeated fields) and the leaf values a row column holds: {@code null}, {@link Boolean}, {@link Long},
 * {@link java.math.BigDecimal}, {@link Double} (only NaN and infinities, which JSON cannot write), {@link String} and
 * {@code byte[]}. {@link Trees#columns} and {@link TreePaths} turn it into columns with the same values the
 * equivalent JSON object gives.
 */
public sealed interface Decoded {

    /** JSON text, to be read by the JSON column readers. */
    record Json(byte[] json) implements Decoded {
        public Json {
            Objects.requireNonNull(json, "json");
        }
    }

    /** A decoded value tree (see the interface). */
    record Tree(Object root) implements Decoded {
    }
}
