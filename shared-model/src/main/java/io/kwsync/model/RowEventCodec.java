package io.kwsync.model;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary codec of {@link RowEvent} for the rows topic. Compact and versioned: a magic byte, a format version,
 * then origin, destination, job id, (since version 2) the offset the row is chained after, (since version 3) the row
 * operation, and the typed columns. Lengths and counts are unsigned varints, strings UTF-8. Events of versions 1
 * (not chained, upserts) and 2 (upserts) still decode, so a sink can be upgraded before the ingest that writes
 * version 3. Version 4 carries the several rows of one source record in one record (origin, job id and chain once,
 * then per row its destination, operation and columns), so they are published, read and written together; it is
 * written only for a record of several rows, so a sink that knows version 3 still reads every other record.
 *
 * <p>A decoder refuses bytes of another format or version with {@link MalformedRowEventException}, so a rows topic
 * shared by mistake with something else cannot be mis-read as rows. The encoder refuses text UTF-8 cannot carry (a
 * lone UTF-16 surrogate, {@link LoneSurrogates}) with a {@link DirtyRecordException} of stage DECODE, so such a record
 * goes to the error topic instead of reaching the destination altered.
 */
public final class RowEventCodec {

    static final byte MAGIC = (byte) 0xCB;
    static final byte VERSION = 3;
    /** Version 4: the several rows of one source record (one row is still written as version 3). */
    static final byte MANY_ROWS_VERSION = 4;
    /** Version 2: chained, no operation (an upsert). */
    private static final byte UPSERT_VERSION = 2;
    /** Version 1: neither chained nor with an operation. */
    private static final byte UNCHAINED_VERSION = 1;

    private RowEventCodec() {
    }

    public static byte[] encode(RowEvent e) {
        return encode(e, e.chainedAfter());
    }

    /** The event as if it were {@code e.chainedAfter(chainedAfter)}, without copying it. */
    public static byte[] encode(RowEvent e, long chainedAfter) {
        RowEvent.checkChain(chainedAfter, e.origin().offset());
        Out out = new Out(128 + e.columns().size() * 24);
        out.b(MAGIC).b(VERSION);
        origin(out, e.origin());
        destination(out, e.destination());
        out.nullableStr(e.jobId());
        out.varint(chainedAfter + 1);
        out.b(e.operation().code);
        columns(out, e.columns());
        return out.toByteArray();
    }

    /**
     * The rows of one source record as one rows-topic record, as if each were {@code chainedAfter(chainedAfter)}: a
     * single row as version 3 (which every sink since that version reads), several as version 4. The rows must share
     * the origin and job id; their own index and count are not looked at (their order is).
     */
    public static byte[] encode(List<RowEvent> rows, long chainedAfter) {
        if (rows.isEmpty()) throw new IllegalArgumentException("no rows to encode");
        RowEvent first = rows.get(0);
        if (rows.size() == 1) return encode(first, chainedAfter);
        RowEvent.checkChain(chainedAfter, first.origin().offset());
        Out out = new Out(128 + rows.size() * (32 + first.columns().size() * 24));
        out.b(MAGIC).b(MANY_ROWS_VERSION);
        origin(out, first.origin());
        out.nullableStr(first.jobId());
        out.varint(chainedAfter + 1);
        out.varint(rows.size());
        for (RowEvent r : rows) {
            if (!r.origin().equals(first.origin()) || !java.util.Objects.equals(r.jobId(), first.jobId())) {
                throw new IllegalArgumentException("the rows of one record share their origin and job id");
            }
            destination(out, r.destination());
            out.b(r.operation().code);
            columns(out, r.columns());
        }
        return out.toByteArray();
    }

    private static void origin(Out out, Origin o) {
        out.name(o.topic(), "the source topic").varint(o.partition()).i64(o.offset()).i64(o.timestamp()).bytes(o.key());
        out.varint(o.headers().size());
        for (Header h : o.headers()) {
            out.str(h.name(), "a header name", null).bytes(h.value());
        }
    }

    private static void destination(Out out, Destination d) {
        out.name(d.table(), "the destination table").varint(d.partition().size());
        d.partition().forEach((k, v) -> out.str(k, "a partition column", null).str(v, "the partition value of", k));
    }

    private static void columns(Out out, Map<String, Object> columns) {
        out.varint(columns.size());
        boolean proven = columns instanceof Columns c && c.surrogateFree; // text written without the '?' scan
        columns.forEach((name, value) -> writeValue(out.name(name, "a column name"), name, value, proven));
    }

    private static void writeValue(Out out, String column, Object v, boolean surrogateFree) {
        ColumnType t = ColumnType.of(v);
        out.b(t.tag);
        switch (t) {
            case NULL -> { }
            case BOOLEAN -> out.b((byte) (((Boolean) v) ? 1 : 0));
            case LONG -> out.i64((Long) v);
            case DOUBLE -> out.i64(Double.doubleToRawLongBits((Double) v));
            case DECIMAL -> out.str(((BigDecimal) v).toString());
            case STRING -> {
                if (surrogateFree) out.str((String) v);
                else out.str((String) v, "the value of column", column);
            }
            case BYTES -> out.bytes((byte[]) v);
            case JSON -> out.str(((JsonText) v).json(), "the JSON of column", column);
        }
    }

    /** A record holding one row; one of several rows is refused as malformed (see {@link #decodeAll}). */
    public static RowEvent decode(byte[] bytes) {
        List<RowEvent> rows = decodeAll(bytes);
        if (rows.size() != 1) throw new MalformedRowEventException("a record of " + rows.size() + " rows where one was expected");
        return rows.get(0);
    }

    /** The rows of one rows-topic record, in order: one for versions 1 to 3, one or more for version 4. */
    public static List<RowEvent> decodeAll(byte[] bytes) {
        if (bytes == null || bytes.length < 2 || bytes[0] != MAGIC) {
            throw new MalformedRowEventException("not a kwsync row event (bad magic byte)");
        }
        byte version = bytes[1];
        if (version != VERSION && version != UPSERT_VERSION && version != UNCHAINED_VERSION && version != MANY_ROWS_VERSION) {
            throw new MalformedRowEventException("unsupported row event format version " + bytes[1]);
        }
        In in = new In(bytes, 2);
        try {
            String topic = in.name();
            int partition = (int) in.varint();
            long offset = in.i64();
            long ts = in.i64();
            byte[] key = in.bytes();
            int nh = in.count();
            Header[] headers = new Header[nh];
            for (int i = 0; i < nh; i++) {
                headers[i] = new Header(in.name(), in.bytes());
            }
            // an immutable list, which Origin takes as it is instead of copying (most records have no headers)
            Origin origin = new Origin(topic, partition, offset, ts, key, nh == 0 ? List.of() : List.of(headers));
            List<RowEvent> rows;
            if (version == MANY_ROWS_VERSION) {
                String jobId = in.nullableStr();
                long chainedAfter = in.varint() - 1;
                int n = in.count();
                if (n < 1) throw new MalformedRowEventException("a record of no rows");
                rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Destination d = destination(in);
                    RowOperation operation = RowOperation.ofCode(in.b());
                    rows.add(new RowEvent(origin, d, columns(in), jobId, chainedAfter, operation, i, n));
                }
            } else {
                Destination d = destination(in);
                String jobId = in.nullableStr();
                long chainedAfter = version == UNCHAINED_VERSION ? -1 : in.varint() - 1;
                RowOperation operation = version == VERSION ? RowOperation.ofCode(in.b()) : RowOperation.UPSERT;
                rows = List.of(new RowEvent(origin, d, columns(in), jobId, chainedAfter, operation));
            }
            if (in.pos != bytes.length) {
                throw new MalformedRowEventException((bytes.length - in.pos) + " trailing bytes");
            }
            return rows;
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException | IllegalArgumentException e) {
            throw new MalformedRowEventException("truncated or corrupt row event: " + e.getMessage(), e);
        }
    }

    private static Destination destination(In in) {
        String table = in.name();
        int np = in.count();
        Map<String, String> spec = new LinkedHashMap<>();
        for (int i = 0; i < np; i++) {
            spec.put(in.name(), in.name());
        }
        return new Destination(table, spec);
    }

    private static Map<String, Object> columns(In in) {
        int nc = in.count();
        Columns.Builder columns = new Columns.Builder(nc);
        for (int i = 0; i < nc; i++) {
            columns.put(in.name(), readValue(in));
        }
        return columns.build();
    }

    private static Object readValue(In in) {
        return switch (ColumnType.ofTag(in.b())) {
            case NULL -> null;
            case BOOLEAN -> in.b() != 0;
            case LONG -> in.i64();
            case DOUBLE -> Double.longBitsToDouble(in.i64());
            case DECIMAL -> new BigDecimal(in.str());
            case STRING -> in.str();
            case BYTES -> in.bytes();
            case JSON -> new JsonText(in.str());
        };
    }

    /** Growable output buffer; avoids the synchronisation and copies of ByteArrayOutputStream. */
    private static final class Out {
        private byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int n) {
            if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }

        Out b(byte v) {
            ensure(1);
            buf[pos++] = v;
            return this;
        }

        Out varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
            return this;
        }

        Out i64(long v) {
            ensure(8);
            for (int i = 56; i >= 0; i -= 8) buf[pos++] = (byte) (v >>> i);
            return this;
        }

        Out raw(byte[] v) {
            ensure(v.length);
            System.arraycopy(v, 0, buf, pos, v.length);
            pos += v.length;
            return this;
        }

        /** Length 0 encodes null; otherwise length + 1. */
        Out bytes(byte[] v) {
            return v == null ? varint(0) : varint(v.length + 1L).raw(v);
        }

        Out str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            return varint(u.length).raw(u);
        }

        /**
         * Text from a record: getBytes writes '?' for a surrogate without its partner, so where a '?' appears the
         * text is checked, and a lone surrogate makes the record dirty instead of being altered.
         *
         * @param what   what the text is, for the reason ("the value of column")
         * @param column the column (or partition column) it belongs to, or null
         */
        Out str(String s, String what, String column) {
            byte[] u = CheckedText.utf8(s, what, column);
            return varint(u.length).raw(u);
        }

        /** A name that repeats from event to event (topic, table, column); see {@link CheckedText#name}. */
        Out name(String s, String what) {
            byte[] u = CheckedText.name(s, what);
            return varint(u.length).raw(u);
        }

        Out nullableStr(String s) {
            return s == null ? varint(0) : bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** A decoded name and its bytes. */
    private record Name(byte[] utf8, String text) {
    }

    /**
     * Names repeat in every event of a stream (topic, table, column keys): each is decoded once and the same String,
     * with its hash code computed once, is handed out again. A small direct-mapped cache; a collision only costs a
     * decode. Entries are immutable, so threads may share it without locks.
     */
    private static final Name[] NAMES = new Name[1024];
    private static final int LONGEST_NAME = 128;

    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        byte b() {
            return buf[pos++];
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = buf[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) return v;
            }
            throw new MalformedRowEventException("varint too long");
        }

        int count() {
            long n = varint();
            if (n < 0 || n > buf.length - pos) throw new MalformedRowEventException("implausible count " + n);
            return (int) n;
        }

        long i64() {
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos++] & 0xFF);
            return v;
        }

        byte[] take(int n) {
            if (n > buf.length - pos) throw new MalformedRowEventException("length " + n + " past the end");
            byte[] v = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return v;
        }

        byte[] bytes() {
            int n = count();
            return n == 0 ? null : take(n - 1);
        }

        String str() {
            return text(count());
        }

        private String text(int n) {
            if (n > buf.length - pos) throw new MalformedRowEventException("length " + n + " past the end");
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /** A string that is likely to repeat from event to event; see {@link #NAMES}. */
        String name() {
            int n = count();
            if (n > LONGEST_NAME) return text(n);
            int h = n;
            for (int i = pos; i < pos + n; i++) h = 31 * h + buf[i];
            int slot = (h ^ (h >>> 16)) & (NAMES.length - 1);
            Name known = NAMES[slot];
            if (known != null && sameBytes(known.utf8(), n)) {
                pos += n;
                return known.text();
            }
            byte[] utf8 = Arrays.copyOfRange(buf, pos, pos + n);
            String s = text(n);
            NAMES[slot] = new Name(utf8, s);
            return s;
        }

        /**
         * Whether the next n bytes are these. Names are short: a plain loop costs less than {@code Arrays.equals},
         * whose range checks and vectorized compare do not pay off for a dozen bytes.
         */
        private boolean sameBytes(byte[] name, int n) {
            if (name.length != n) return false;
            for (int i = 0; i < n; i++) {
                if (name[i] != buf[pos + i]) return false;
            }
            return true;
        }

        String nullableStr() {
            byte[] b = bytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
    }
}
