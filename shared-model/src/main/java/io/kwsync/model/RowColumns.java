package io.kwsync.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a row's columns in order, for a {@link RowEvent} that then takes them without a copy: what a decoder that
 * reads a record field by field fills, instead of a {@code LinkedHashMap} that the row event would copy again. A name
 * given twice is refused ({@link #add} returns false), as a record with a duplicate field is dirty. Values are checked
 * against {@link ColumnType} as they come. Used once: {@link #build} hands its arrays over.
 *
 * <p>Decoders of one stream meet the same field names again and again, often as the same {@code String} instances
 * (Jackson hands out canonical names): those compare by identity first, then by hash and content.
 */
public final class RowColumns {

    private String[] names;
    private Object[] values;
    private int[] hashes;
    private int size;
    /** Which of 128 buckets of the names' hash codes hold a name: only a name in an occupied bucket is compared. */
    private long seenLow;
    private long seenHigh;
    private boolean built;

    /** @param expected how many columns are likely (grows past it) */
    public RowColumns(int expected) {
        int n = Math.max(expected, 4);
        names = new String[n];
        values = new Object[n];
        hashes = new int[n];
    }

    /**
     * Appends a column unless its name is already there.
     *
     * @return false when the name was given before (nothing changed)
     * @throws IllegalArgumentException when the value is not of a {@link ColumnType}
     */
    public boolean add(String name, Object value) {
        Objects.requireNonNull(name, "column name");
        if (built) throw new IllegalStateException("columns already built");
        ColumnType.of(value);
        int h = name.hashCode();
        int bucket = h & 127;
        long bit = 1L << bucket;
        boolean maybeSeen = bucket < 64 ? (seenLow & bit) != 0 : (seenHigh & bit) != 0;
        if (maybeSeen) {
            for (int i = 0; i < size; i++) {
                if (names[i] == name || hashes[i] == h && names[i].equals(name)) return false;
            }
        }
        if (bucket < 64) seenLow |= bit;
        else seenHigh |= bit;
        if (size == names.length) {
            int n = size * 2;
            names = Arrays.copyOf(names, n);
            values = Arrays.copyOf(values, n);
            hashes = Arrays.copyOf(hashes, n);
        }
        names[size] = name;
        hashes[size] = h;
        values[size++] = value;
        return true;
    }

    /** The columns so far, in order: an unmodifiable map that {@link RowEvent} takes as it is. */
    public Map<String, Object> build() {
        built = true;
        return Columns.of(names, values, size, false);
    }

    /**
     * The same, for a maker that has proven that no string value or JSON text holds a lone UTF-16 surrogate (text
     * decoded from valid UTF-8 without an escape cannot): the row codec then writes the text without looking for one.
     * Only for such proof: a lone surrogate in these columns would reach the rows topic as '?'.
     */
    public Map<String, Object> buildSurrogateFree() {
        built = true;
        return Columns.of(names, values, size, true);
    }
}
