package io.kwsync.ingest.mapping;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Tells text from binary: messages are UTF-8 text (the AnalyticDB connector: "binary data is not supported").
 * Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), and no NUL byte: JSON never holds one
 * unescaped, while UTF-16 or UTF-32 text (which a JSON parser would otherwise detect and accept) is full of them.
 *
 * <p>The same pass says whether the bytes hold a backslash ({@link #scan}): valid UTF-8 decodes to Java text without
 * a lone surrogate, so in JSON without a backslash (no escape) no string or key can hold one, and the JSON reader
 * need not look for them.
 */
public final class Utf8Text {

    /** {@link #scan}: valid text without a backslash. */
    public static final int TEXT = -1;
    /** {@link #scan}: valid text holding at least one backslash. */
    public static final int TEXT_WITH_BACKSLASH = -2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private Utf8Text() {
    }

    /** Index of the first byte that is not part of valid NUL-free UTF-8 text, or -1 when all of it is. */
    public static int invalidAt(byte[] b) {
        int at = scan(b);
        return at >= 0 ? at : -1;
    }

    /**
     * Index of the first byte that is not part of valid NUL-free UTF-8 text; or, when all of it is, {@link #TEXT} or
     * {@link #TEXT_WITH_BACKSLASH}. Text is mostly ASCII: eight bytes are checked at a time while they are ASCII
     * without a NUL (and without a backslash until one was seen).
     */
    public static int scan(byte[] b) {
        boolean backslash = false;
        int i = 0;
        int n = b.length;
        while (i < n) {
            if (i <= n - 8) {
                long x = (long) LONGS.get(b, i);
                if ((x & HIGH_BITS) == 0 && !hasZeroByte(x) && (backslash || !hasZeroByte(x ^ BACKSLASHES))) {
                    i += 8;
                    continue;
                }
            }
            int c = b[i];
            if (c > 0) { // ASCII
                if (c == '\\') backslash = true;
                i++;
                continue;
            }
            if (c == 0) return i;
            c &= 0xFF;
            int len;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + len > n) return i;
            int cp = c & (0xFF >> (len + 1));
            for (int k = 1; k < len; k++) {
                int cont = b[i + k] & 0xFF;
                if ((cont & 0xC0) != 0x80) return i;
                cp = (cp << 6) | (cont & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
            i += len;
        }
        return backslash ? TEXT_WITH_BACKSLASH : TEXT;
    }

    /** Whether one of the eight bytes of {@code x} is 0 (exact when no byte has its high bit set). */
    private static boolean hasZeroByte(long x) {
        return ((x - ONES) & ~x & HIGH_BITS) != 0;
    }

    /** Why the bytes are not text, e.g. "byte 0xFF at position 3 is not UTF-8", or null when they are text. */
    public static String problem(byte[] b) {
        return problem(b, scan(b));
    }

    /** {@link #problem(byte[])} from a {@link #scan} of the same bytes already made. */
    static String problem(byte[] b, int scanned) {
        if (scanned < 0) return null;
        if (b[scanned] == 0) return "NUL byte at position " + scanned;
        return String.format("byte 0x%02X at position %d is not UTF-8", b[scanned] & 0xFF, scanned);
    }
}
