package io.kwsync.ingest.convert;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MaxCompute connector's record layout: a row {@code (topic, partition, offset, key, value)}.
 *
 * <ul>
 * <li>Mode DEFAULT keeps key and value, KEY only the key, VALUE only the value (the other column is left out, so
 * it is NULL in the table).</li>
 * <li>Format TEXT writes UTF-8 strings (bytes that are not UTF-8 make the record dirty, never garbled text), BINARY
 * the bytes unchanged.</li>
 * <li>Format CSV (KEY or VALUE mode) splits the text at every comma, with no quoting, keeping empty fields; field
 * {@code i} becomes the column named {@code #i}, which the MaxCompute sink writes to the table's i-th column
 * (0-based, declared order, partition columns excluded).</li>
 * </ul>
 * A null key or value gives a NULL column (CSV: no fields).
 */
public final class KeyValueMapper implements RecordMapper {

    /** Which parts of the record are kept (KWSYNC_RECORD_MODE). */
    public enum Mode {
        KEY, VALUE, DEFAULT
    }

    /** How the kept parts are written (KWSYNC_RECORD_FORMAT). */
    public enum Format {
        TEXT, BINARY, CSV
    }

    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";
    public static final String KEY = "key";
    public static final String VALUE = "value";
    /** Prefix of positional columns: {@code #0} is the table's first column. */
    public static final String POSITION = "#";

    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    private static final String[] POSITIONS = new String[64];

    static {
        for (int i = 0; i < POSITIONS.length; i++) POSITIONS[i] = POSITION + i;
    }

    private final RowDestination destination;
    private final Mode mode;
    private final Format format;

    public KeyValueMapper(RowDestination destination, Mode mode, Format format) {
        if (format == Format.CSV && mode == Mode.DEFAULT) {
            throw new IllegalArgumentException("CSV needs mode KEY or VALUE");
        }
        this.destination = destination;
        this.mode = mode;
        this.format = format;
    }

    @Override
    public RowEvent map(Origin origin, byte[] value) {
        Map<String, Object> columns = new LinkedHashMap<>(16);
        columns.put(TOPIC, origin.topic());
        columns.put(PARTITION, (long) origin.partition());
        columns.put(OFFSET, origin.offset());
        if (format == Format.CSV) {
            byte[] field = mode == Mode.KEY ? origin.key() : value;
            if (field != null) splitCsv(text(field, mode == Mode.KEY ? "key" : "value"), columns);
        } else {
            if (mode != Mode.VALUE) columns.put(KEY, convert(origin.key(), "key"));
            if (mode != Mode.KEY) columns.put(VALUE, convert(value, "value"));
        }
        return new RowEvent(origin, destination.of(origin, value), columns);
    }

    private Object convert(byte[] bytes, String what) {
        if (bytes == null) return null;
        return format == Format.BINARY ? bytes : text(bytes, what);
    }

    static String text(byte[] bytes, String what) {
        try {
            return UTF8.get().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE,
                    "record " + what + " is not UTF-8 text (format TEXT/CSV); use format BINARY for raw bytes", e);
        }
    }

    static void splitCsv(String text, Map<String, Object> columns) {
        int i = 0, from = 0;
        while (true) {
            int comma = text.indexOf(',', from);
            String field = comma < 0 ? text.substring(from) : text.substring(from, comma);
            columns.put(i < POSITIONS.length ? POSITIONS[i] : POSITION + i, field);
            i++;
            if (comma < 0) return;
            from = comma + 1;
        }
    }
}
