package io.kwsync.ingest.mapping;

/** The six attribute fields every Kafka record has (DataWorks' default Kafka fields). */
public enum BuiltinField {
    /** The record key, decoded by the key type. */
    KEY("__key__"),
    /** The record value, decoded by the value type. */
    VALUE("__value__"),
    /** The partition number, from 0, as a long. */
    PARTITION("__partition__"),
    /** The headers as JSON object text (see {@link HeadersJson}). */
    HEADERS("__headers__"),
    /** The offset within the partition, from 0, as a long. */
    OFFSET("__offset__"),
    /** The record timestamp in epoch milliseconds (13 digits), as a long; NULL when the record has none. */
    TIMESTAMP("__timestamp__");

    private final String text;

    BuiltinField(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The field written exactly so, or null. */
    public static BuiltinField of(String text) {
        for (BuiltinField f : values()) {
            if (f.text.equals(text)) return f;
        }
        return null;
    }
}
