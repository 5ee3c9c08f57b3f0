package io.kwsync.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The columns of a {@link RowEvent}: an unmodifiable map that keeps its order, held in two arrays. A row is built once
 * and then read front to back (encoded, planned, filled into a record), so a hash table and its entry objects (what a
 * {@code LinkedHashMap} costs per column) are paid for nothing; a lookup by name scans, which for the tens of columns
 * of a row costs about what hashing would. Equal to any map of the same entries, like every {@link Map}.
 *
 * <p>Values are only ever the types of {@link ColumnType}: {@link #copyOf} checks them, and the row codec, the only
 * other maker, decodes nothing else.
 */
final class Columns extends AbstractMap<String, Object> {

    private static final Columns EMPTY = new Columns(new String[0], new Object[0], 0, true);

    private final String[] names;
    private final Object[] values;
    private final int size;
    /**
     * Whether no text value (string or JSON) holds a lone surrogate, as proven by the row's maker (read from valid
     * UTF-8 without an escape): the encoder then need not look for one.
     */
    final boolean surrogateFree;

    private Columns(String[] names, Object[] values, int size, boolean surrogateFree) {
        this.names = names;
        this.values = values;
        this.size = size;
        this.surrogateFree = surrogateFree;
    }

    /** The map's entries in its order; refuses a null name and a value of a type rows cannot carry. */
    static Columns copyOf(Map<String, Object> columns) {
        if (columns instanceof Columns c) return c;
        int n = columns.size();
        if (n == 0) return EMPTY;
        String[] names = new String[n];
        Object[] values = new Object[n];
        int i = 0;
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            ColumnType.of(e.getValue());
            names[i] = Objects.requireNonNull(e.getKey(), "column name");
            values[i++] = e.getValue();
        }
        return new Columns(names, values, i, false);
    }

    /** The first {@code size} names and values, taken as they are (the caller checked them and no longer changes them). */
    static Columns of(String[] names, Object[] values, int size, boolean surrogateFree) {
        return size == 0 ? EMPTY : new Columns(names, values, size, surrogateFree);
    }

    /**
     * Fills a row's columns in order without checking their values (for the codec, which makes only valid ones). A
     * name given again keeps its first position and takes the later value, as {@code Map.put} would.
     */
    static final class Builder {
        private final String[] names;
        private final Object[] values;
        private int size;
        /** Which of 128 buckets of the names' hash codes hold a name: a name is compared only within its bucket. */
        private long seenLow;
        private long seenHigh;

        Builder(int expected) {
            names = new String[expected];
            values = new Object[expected];
        }

        void put(String name, Object value) {
            int h = name.hashCode();
            int bucket = h & 127;
            long bit = 1L << bucket;
            boolean maybeSeen = bucket < 64 ? (seenLow & bit) != 0 : (seenHigh & bit) != 0;
            if (maybeSeen) {
                for (int i = 0; i < size; i++) { // a String keeps its hash code: no array of them to allocate per row
                    if (names[i] == name || names[i].hashCode() == h && names[i].equals(name)) {
                        values[i] = value;
                        return;
                    }
                }
            }
            if (bucket < 64) seenLow |= bit;
            else seenHigh |= bit;
            names[size] = name;
            values[size++] = value;
        }

        Columns build() {
            return size == 0 ? EMPTY : new Columns(names, values, size, false);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    private int indexOf(Object name) {
        if (name == null) return -1;
        for (int i = 0; i < size; i++) {
            if (names[i] == name) return i;
        }
        int h = name.hashCode();
        for (int i = 0; i < size; i++) {
            if (names[i].hashCode() == h && names[i].equals(name)) return i;
        }
        return -1;
    }

    @Override
    public Object get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < size; i++) action.accept(names[i], values[i]);
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= size) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }
        };
    }
}
