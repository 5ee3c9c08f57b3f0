package io.kwsync.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The error-topic record format: the original key, value and headers, plus headers naming the origin coordinates,
 * the connector, the stage and the reason. Built the same way by both services.
 *
 * <p>The {@code kwsync.error.*} headers on the error topic are always kwsync's own, one of each: an original record
 * that already carries headers of that namespace (spoofed, or a dead letter replayed into a source topic) keeps them
 * renamed to {@code kwsync.original.error.*}, so nothing of the original is lost and no reader can take them for ours.
 * A record too large for the error topic is cut to fit ({@link #fit}) and marked; both services cut the same way.
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
    /** Set when the record was cut to fit the error topic: what was cut, from and to how many bytes, to fit what limit. */
    public static final String TRUNCATED = PREFIX + "truncated";
    /**
     * Which row of its source record a refused row is, as "2/3" (counted from 1); set only on rows of a record of
     * several rows (a Canal message), where the coordinates alone do not tell the rows apart.
     */
    public static final String ROW = PREFIX + "row";
    /** What an original header of the {@link #PREFIX} namespace is renamed to. */
    public static final String ORIGINAL_PREFIX = "kwsync.original.error.";

    /** Reasons longer than this are cut, so a huge message cannot make the error record too large. */
    static final int MAX_REASON_CHARS = 2_000;

    private DeadLetter() {
    }

    /** The original headers (those of the error namespace renamed) followed by the error headers. */
    public static List<Header> headers(Origin origin, String connector, DirtyRecordException error) {
        List<Header> h = new ArrayList<>(origin.headers().size() + 8);
        for (Header original : origin.headers()) {
            h.add(original.name().startsWith(PREFIX)
                    ? new Header(ORIGINAL_PREFIX + original.name().substring(PREFIX.length()), original.value()) : original);
        }
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

    /** {@link #ROW}'s value for row {@code index} (from 0) of {@code count}; null for the only row of its record. */
    public static String row(int index, int count) {
        return count == 1 ? null : (index + 1) + "/" + count;
    }

    /** An error-topic record: key, value and headers. */
    public record Letter(byte[] key, byte[] value, List<Header> headers) {
        public long size() {
            return RecordSize.of(key, value, headers);
        }
    }

    /**
     * The record as it is when it fits in {@code maxBytes} ({@link RecordSize}), else cut until it does and marked with
     * {@link #TRUNCATED}: the value first, then the original headers are dropped, then the key is cut. The
     * {@code kwsync.error.*} headers (origin, stage, reason) always stay; the reason is already bounded.
     */
    public static Letter fit(byte[] key, byte[] value, List<Header> headers, long maxBytes) {
        Letter whole = new Letter(key, value, headers);
        if (whole.size() <= maxBytes) return whole;
        List<Header> ours = new ArrayList<>();
        List<Header> original = new ArrayList<>();
        for (Header h : headers) (h.name().startsWith(PREFIX) ? ours : original).add(h);
        int keyLength = key == null ? 0 : key.length;
        int valueLength = value == null ? 0 : value.length;
        long room = maxBytes - RecordSize.of(null, null, ours) - MARK_ROOM;
        StringBuilder cut = new StringBuilder();
        List<Header> kept = new ArrayList<>(headers.size() + 1);
        long originalSize = RecordSize.headers(original);
        if (keyLength + originalSize <= room) {
            kept.addAll(headers);
            room -= originalSize;
        } else {
            kept.addAll(ours);
            if (!original.isEmpty()) cut.append(original.size()).append(" original headers (").append(originalSize).append(" bytes) dropped; ");
        }
        byte[] k = key;
        if (key != null && keyLength > room) {
            k = Arrays.copyOf(key, (int) Math.max(0, room));
            cut.append("key cut from ").append(keyLength).append(" to ").append(k.length).append(" bytes; ");
        }
        room -= k == null ? 0 : k.length;
        byte[] v = value;
        if (value != null && valueLength > room) {
            v = Arrays.copyOf(value, (int) Math.max(0, room));
            cut.append("value cut from ").append(valueLength).append(" to ").append(v.length).append(" bytes; ");
        }
        kept.add(text(TRUNCATED, cut.substring(0, cut.length() - 2) + " to fit a limit of " + maxBytes + " bytes"));
        return new Letter(k, v, kept);
    }

    /**
     * The smallest limit {@link #fit} can meet for a record with these headers: its {@code kwsync.error.*} headers
     * alone, no bytes of key or value, and the mark. Below it nothing is left to cut.
     */
    public static long smallest(List<Header> headers) {
        return RecordSize.of(null, null, headers.stream().filter(h -> h.name().startsWith(PREFIX)).toList()) + MARK_ROOM;
    }

    /** Room kept for the {@link #TRUNCATED} header. */
    private static final int MARK_ROOM = 512;

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

    /** Texts about a record may quote it: a lone surrogate is written as an escape rather than turned into '?'. */
    static Header text(String name, String value) {
        return new Header(name, LoneSurrogates.escaped(value).getBytes(StandardCharsets.UTF_8));
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
