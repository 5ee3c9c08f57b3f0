package io.kwsync.ingest.outbound;

import java.util.Locale;

/** How the Kafka Writer makes a record value from all columns of a row (writeMode), when no valueIndex is set. */
public enum WriteMode {
    /** The columns as text, joined by the field delimiter: a, b and c with '#' give "a#b#c". */
    TEXT,
    /** A JSON object with one field per configured column name: {"col1":"a","col2":"b","col3":"c"}. */
    JSON;

    /** text or json, in any case; null when neither. */
    public static WriteMode parse(String text) {
        if (text == null) return null;
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> null;
        };
    }
}
