package io.kwsync.sink.jdbc.dialect;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows as tab-separated UTF-8 text, the input of MySQL's {@code LOAD DATA LOCAL INFILE} and PostgreSQL's
 * {@code COPY FROM STDIN} (text format): fields end with a tab, rows with a newline, null is {@code \N}, and a
 * backslash, tab, newline or carriage return inside a value is written as a backslash escape, which both read back
 * as the character. Built in one growing array, appended to in place.
 */
public final class BulkText {

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
        for (int i = 0; i < utf8.length; i++) {
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
        System.arraycopy(utf8, from, buf, len, utf8.length - from);
        len += utf8.length - from;
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
