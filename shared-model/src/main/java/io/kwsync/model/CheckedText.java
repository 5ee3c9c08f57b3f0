package io.kwsync.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 bytes the row codec writes for text from a record. {@code String.getBytes} writes '?' for a UTF-16
 * surrogate without its partner, so where a '?' appears the text is checked, and a lone surrogate makes the record
 * dirty (a {@link DirtyRecordException} of stage DECODE) instead of reaching the destination altered.
 *
 * <p>Names (topic, table, column) repeat in every event of a stream: their bytes, once checked, are kept in a small
 * direct-mapped cache and handed out again. Entries are immutable, so threads share it without locks; a collision only
 * costs an encoding.
 */
final class CheckedText {

    private static final int LONGEST_NAME = 128;
    private static final Name[] NAMES = new Name[1024];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A name and its checked UTF-8 bytes. */
    private record Name(String text, byte[] utf8) {
    }

    private CheckedText() {
    }

    /**
     * @param what   what the text is, for the reason ("the value of column")
     * @param column the column (or partition column) it belongs to, or null
     */
    static byte[] utf8(String s, String what, String column) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        if (hasQuestionMark(u)) {
            String problem = LoneSurrogates.problem(s);
            if (problem != null) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what
                        + (column == null ? "" : " \"" + LoneSurrogates.escaped(column) + "\"")
                        + (column == null && !what.startsWith("the ") ? " \"" + LoneSurrogates.escaped(s) + "\"" : "")
                        + " holds " + problem);
            }
        }
        return u;
    }

    /** A name's bytes, checked the first time (the array is shared: never changed by the caller). */
    static byte[] name(String s, String what) {
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & (NAMES.length - 1);
        Name known = NAMES[slot];
        if (known == null || known.text() != s && !known.text().equals(s)) {
            known = new Name(s, utf8(s, what, null));
            if (s.length() <= LONGEST_NAME) NAMES[slot] = known;
        }
        return known.utf8();
    }

    /** Eight bytes at a time: most text holds no '?', and a byte-by-byte scan of it was the encoder's largest cost. */
    static boolean hasQuestionMark(byte[] u) {
        int i = 0;
        for (int n = u.length - 7; i < n; i += 8) {
            long x = (long) LONGS.get(u, i) ^ 0x3F3F3F3F3F3F3F3FL; // a '?' byte becomes 0
            if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) return true;
        }
        for (; i < u.length; i++) {
            if (u[i] == '?') return true;
        }
        return false;
    }
}
