package io.kwsync.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The error-topic record format: the original key, value and headers, plus headers naming the origin coordinates,
 * the connector, the stage and the reason. Built the same way by both services.
 */
public final class DeadLetter {

    public static final String PREFIX = "kwsync.error.";
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";
    public static final String TIMESTAMP = PREFIX + "timestamp";
    public static final String CONNECTOR = PREFIX + "connector";
    public static final String STAGE = PREFIX + "stage";
    public static final String REASON = PREFIX + "reason";
    public static final String EXCEPTION = PREFIX + "exception";

    /** Reasons longer than this are cut, so a huge message cannot make the error record too large. */
    static final int MAX_REASON_CHARS = 2_000;

    private DeadLetter() {
    }

    /** The original headers followed by the error headers. */
    public static List<Header> headers(Origin origin, String connector, DirtyRecordException error) {
        List<Header> h = new ArrayList<>(origin.headers().size() + 8);
        h.addAll(origin.headers());
        h.add(text(TOPIC, origin.topic()));
        h.add(text(PARTITION, Integer.toString(origin.partition())));
        h.add(text(OFFSET, Long.toString(origin.offset())));
        h.add(text(TIMESTAMP, Long.toString(origin.timestamp())));
        h.add(text(CONNECTOR, connector));
        h.add(text(STAGE, error.stage().name()));
        h.add(text(REASON, truncate(describe(error))));
        Throwable root = error.getCause() == null ? error : error.getCause();
        h.add(text(EXCEPTION, root.getClass().getName()));
        return h;
    }

    /** The reason with its first cause, e.g. "value is not valid JSON: Unexpected character ...". */
    public static String describe(DirtyRecordException e) {
        Throwable c = e.getCause();
        if (c == null || c.getMessage() == null) return String.valueOf(e.getMessage());
        String cause = c.getMessage().lines().findFirst().orElse("");
        return e.getMessage() + ": " + cause;
    }

    static String truncate(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "...";
    }

    private static Header text(String name, String value) {
        return new Header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one header as text, or null; for tests and tools that inspect the error topic. */
    public static String header(List<Header> headers, String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            Header h = headers.get(i);
            if (h.name().equals(name)) return h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
        return null;
    }
}
