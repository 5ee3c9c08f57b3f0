package io.kwsync.sink.jdbc.dialect;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows as tab-separated UTF-8 text, the input of MySQL's {@code LOAD DATA LOCAL INFILE} and PostgreSQL's
 * {@code COPY FROM STDIN} (text format): fields end with a tab, rows with a newline, null is {@code \N}, and a
 * backslash, tab, newline or carriage return inside a value is written as a backslash escape, which both read back
 * as the character. Built in one growing array, appended to in place.
 */
public final class BulkText {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final boolean escapeNul;
    private byte[] buf = new byte[1 << 16];
    private int len;
    private int rows;
    private boolean rowStarted;

    /** @param escapeNul write U+0000 as {@code \0} (MySQL); PostgreSQL text cannot hold it and refuses the row */
    public BulkText(boolean escapeNul) {
        this.escapeNul = escapeNul;
    }

    public int rows() {
        return rows;
    }

    public int size() {
        return len;
    }

    public void reset() {
        len = 0;
        rows = 0;
        rowStarted = false;
    }

    /**
     * Makes room for {@code bytes} bytes in all, at once: a batch's text grows to megabytes, and doubling from the
     * first 64 KiB would allocate and copy it several times over.
     */
    public void reserve(int bytes) {
        if (bytes > buf.length) buf = Arrays.copyOf(buf, bytes);
    }

    /** Ends the current row. */
    public void endRow() {
        put((byte) '\n');
        rows++;
        rowStarted = false;
    }

    public void nullField() {
        separate();
        ensure(2);
        buf[len++] = '\\';
        buf[len++] = 'N';
    }

    /** A field of characters that need no escape (digits, signs, dates). */
    public void ascii(String s) {
        separate();
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    }

    /** A field of any text, escaped. */
    public void text(String s) {
        separate();
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8); // bytes of multi-byte characters are >= 0x80, never escapes
        ensure(utf8.length);
        int from = 0;
        int i = 0;
        while (i < utf8.length) {
            // eight bytes at a time past the text that needs no escape, which is nearly all of it
            if (i + 8 <= utf8.length && !mayNeedEscape((long) LONGS.get(utf8, i))) {
                i += 8;
                continue;
            }
            for (int end = Math.min(i + 8, utf8.length); i < end; i++) {
                byte b = utf8[i];
                if (b == '\\' || b == '\t' || b == '\n' || b == '\r' || b == 0 && escapeNul) {
                    System.arraycopy(utf8, from, buf, len, i - from);
                    len += i - from;
                    ensure(2 + utf8.length - i);
                    buf[len++] = '\\';
                    buf[len++] = switch (b) {
                        case '\t' -> 't';
                        case '\n' -> 'n';
                        case '\r' -> 'r';
                        case 0 -> '0';
                        default -> '\\';
                    };
                    from = i + 1;
                }
            }
        }
        System.arraycopy(utf8, from, buf, len, utf8.length - from);
        len += utf8.length - from;
    }

    /**
     * Whether any of eight bytes is below 14 (NUL, tab, newline, carriage return and other controls) or a backslash.
     * Exact as to whether there is one (a byte of 0x80 or more never counts), not as to where.
     */
    private static boolean mayNeedEscape(long w) {
        long below14 = (w - 0x0E0E0E0E0E0E0E0EL) & ~w & 0x8080808080808080L;
        long x = w ^ 0x5C5C5C5C5C5C5C5CL; // a backslash becomes 0
        long backslash = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
        return (below14 | backslash) != 0;
    }

    /** A field holding an integer, written as digits without a string in between. */
    public void integer(long v) {
        decimal(v, 0);
    }

    /**
     * A field holding the decimal {@code unscaled * 10^-scale} as plain digits ({@code BigDecimal.toPlainString} of
     * it), e.g. (-5, 2) as -0.05, without a string in between.
     */
    public void decimal(long unscaled, int scale) {
        if (scale < 0) throw new IllegalArgumentException("scale " + scale);
        separate();
        boolean negative = unscaled < 0;
        long q = negative ? unscaled : -unscaled; // negative, so that Long.MIN_VALUE has its digits too
        int digits = digits(q);
        int zeros = scale >= digits ? scale - digits + 1 : 0; // 0.0012: the integer's 0 and the fraction's leading ones
        int size = (negative ? 1 : 0) + zeros + digits + (scale > 0 ? 1 : 0);
        ensure(size);
        int p = len;
        if (negative) buf[p++] = '-';
        for (int k = 0; k < zeros; k++) buf[p++] = '0';
        p += digits;
        for (; q <= -100; p -= 2) { // two digits per division
            long next = q / 100;
            int pair = (int) (next * 100 - q);
            q = next;
            buf[p - 1] = (byte) ('0' + pair % 10);
            buf[p - 2] = (byte) ('0' + pair / 10);
        }
        int last = (int) -q;
        buf[--p] = (byte) ('0' + last % 10);
        if (last >= 10) buf[--p] = (byte) ('0' + last / 10);
        int end = len + size;
        if (scale > 0) { // the fraction's digits move one place right for the point
            int point = end - 1 - scale;
            System.arraycopy(buf, point, buf, point + 1, scale);
            buf[point] = '.';
        }
        len = end;
    }

    /** How many digits -q has (q <= 0). */
    private static int digits(long q) {
        long limit = -10;
        for (int n = 1; n < 19; n++, limit *= 10) {
            if (q > limit) return n;
        }
        return 19;
    }

    /** A field of bytes as PostgreSQL bytea hex input ({@code \x0a1b}, its backslash escaped). */
    public void hex(byte[] bytes) {
        separate();
        ensure(3 + 2 * bytes.length);
        buf[len++] = '\\';
        buf[len++] = '\\';
        buf[len++] = 'x';
        for (byte b : bytes) {
            buf[len++] = HEX[(b >> 4) & 0xF];
            buf[len++] = HEX[b & 0xF];
        }
    }

    public InputStream stream() {
        return new ByteArrayInputStream(buf, 0, len);
    }

    /** The text as a string, for tests and messages. */
    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private void separate() {
        if (rowStarted) put((byte) '\t');
        rowStarted = true;
    }

    private void put(byte b) {
        if (len == buf.length) ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more + 16));
    }
}
