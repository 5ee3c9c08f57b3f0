package io.kwsync.ingest.format;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over Avro binary encoding (the Avro specification's "Binary Encoding"): zig-zag varints for int and long,
 * little-endian IEEE 754 floats, lengths before bytes and strings. Every read checks the bounds, so truncated or
 * corrupt input fails with {@link Truncated} instead of reading past the end or allocating what a bogus length asks.
 */
final class AvroInput {

    /** The input ended, or a length or count cannot be right. Carries the offset for the message. */
    static final class Truncated extends RuntimeException {
        Truncated(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] buf;
    int pos;
    private final int end;

    AvroInput(byte[] buf, int from) {
        this.buf = buf;
        this.pos = from;
        this.end = buf.length;
    }

    int remaining() {
        return end - pos;
    }

    boolean atEnd() {
        return pos == end;
    }

    long readLong() {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) throw new Truncated("input ends inside a number at byte " + pos);
            byte b = buf[pos++];
            raw |= (long) (b & 0x7F) << shift;
            if (b >= 0) return (raw >>> 1) ^ -(raw & 1);
        }
        throw new Truncated("a number longer than 10 bytes at byte " + pos);
    }

    int readInt() {
        long v = readLong();
        if (v != (int) v) throw new Truncated("int out of range at byte " + pos);
        return (int) v;
    }

    boolean readBoolean() {
        if (pos >= end) throw new Truncated("input ends at byte " + pos + ", expected a boolean");
        byte b = buf[pos++];
        if (b != 0 && b != 1) throw new Truncated("boolean byte " + b + " at byte " + (pos - 1));
        return b == 1;
    }

    float readFloat() {
        return Float.intBitsToFloat(fixedInt());
    }

    double readDouble() {
        long lo = fixedInt() & 0xFFFFFFFFL;
        long hi = fixedInt() & 0xFFFFFFFFL;
        return Double.longBitsToDouble((hi << 32) | lo);
    }

    private int fixedInt() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    byte[] readBytes() {
        int n = length();
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** Skips a string or bytes value. */
    void skipBytes() {
        int n = length(); // not "pos += length()": that would add to pos as it was before the length was read
        pos += n;
    }

    void skip(int n) {
        need(n);
        pos += n;
    }

    String readString() {
        int n = length();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    byte[] readFixed(int n) {
        need(n);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    /**
     * The item count of the next array or map block (0 ends the value). A negative count is followed by the
     * block's size in bytes, which is skipped over as a number.
     *
     * @param minItemBytes the fewest bytes one item can take; a count that cannot fit in what is left is refused
     */
    long blockCount(int minItemBytes) {
        long n = readLong();
        if (n < 0) {
            n = -n;
            readLong();
        }
        if (n < 0 || minItemBytes > 0 && n > remaining() / minItemBytes || minItemBytes == 0 && n > 1 << 20) {
            throw new Truncated("block count " + n + " at byte " + pos + " does not fit in the " + remaining() + " bytes left");
        }
        return n;
    }

    private int length() {
        long n = readLong();
        if (n < 0 || n > remaining()) {
            throw new Truncated("length " + n + " at byte " + pos + " runs past the end (" + remaining() + " bytes left)");
        }
        return (int) n;
    }

    private void need(int n) {
        if (remaining() < n) throw new Truncated("input ends at byte " + pos + ", " + n + " more bytes expected");
    }
}
