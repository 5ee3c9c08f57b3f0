package io.kwsync.model;

import java.math.BigDecimal;

/** The value types a {@link RowEvent} column can hold; the byte is the codec's tag. */
public enum ColumnType {
    NULL(0), BOOLEAN(1), LONG(2), DOUBLE(3), DECIMAL(4), STRING(5), BYTES(6), JSON(7);

    final byte tag;

    ColumnType(int tag) {
        this.tag = (byte) tag;
    }

    public static ColumnType of(Object value) {
        if (value == null) return NULL;
        if (value instanceof String) return STRING;
        if (value instanceof Long) return LONG;
        if (value instanceof BigDecimal) return DECIMAL;
        if (value instanceof Double) return DOUBLE;
        if (value instanceof Boolean) return BOOLEAN;
        if (value instanceof byte[]) return BYTES;
        if (value instanceof JsonText) return JSON;
        throw new IllegalArgumentException("unsupported column value type " + value.getClass().getName());
    }

    /** By tag; read once, since {@code values()} hands out a new array on every call (one per decoded value). */
    private static final ColumnType[] BY_TAG = byTag();

    private static ColumnType[] byTag() {
        ColumnType[] all = values();
        ColumnType[] byTag = new ColumnType[all.length];
        for (ColumnType t : all) byTag[t.tag] = t;
        return byTag;
    }

    static ColumnType ofTag(byte tag) {
        ColumnType t = tag < 0 || tag >= BY_TAG.length ? null : BY_TAG[tag];
        if (t == null) throw new IllegalArgumentException("unknown column type tag " + tag);
        return t;
    }
}
