package io.kwsync.sink.jdbc.write;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The rows of one table, matched against its schema and coerced to its column types: grouped by the set of
 * columns they fill (one INSERT shape per group), with the rows that cannot be written set aside as rejected, each
 * with a reason naming the column and the value. Pure; no database access.
 *
 * <p>For an upsert, rows with the same primary key are merged first, later values winning column by column: the
 * result is what applying them one by one would give, and one statement never touches a row twice (which
 * PostgreSQL refuses).
 *
 * <p>With a version column (KWSYNC_JDBC_VERSION_COLUMN) a row merges into the earlier row of its key only when its
 * version is higher; a row whose version is not higher than an earlier one of its key is stale: it is listed, not
 * written, and not rejected. A row without a number for the version is rejected. {@code versions} gives each written
 * source row's version, for the comparison with the table ({@link VersionGuard}).
 */
public record RowPlan(List<Group> groups, List<Planned> order, List<Rejected> rejected, int unknownKeys, List<RowEvent> stale,
                      Map<RowEvent, BigDecimal> versions) {

    /** A plan without versions. */
    public RowPlan(List<Group> groups, List<Planned> order, List<Rejected> rejected, int unknownKeys) {
        this(groups, order, rejected, unknownKeys, List.of(), Map.of());
    }

    /**
     * Rows filling the same columns; values[i] lines up with columns, and sources[i] are the rows merged into it
     * (one, unless an upsert merged several).
     */
    public record Group(List<TableSchema.Column> columns, List<ColumnWriter> writers, List<Object[]> values,
                 List<List<RowEvent>> sources) {
    }

    /** One statement row, in source order (for the row-by-row fallback). */
    public record Planned(Group group, int index) {
    }

    /** Source rows the plan writes (merged rows count once per source row). */
    public int rowCount() {
        int n = 0;
        for (Group g : groups) {
            for (List<RowEvent> s : g.sources()) n += s.size();
        }
        return n;
    }

    /** @param upsertKey the primary key when upserting (rows with equal keys merge), null for inserts */
    public static RowPlan of(List<RowEvent> rows, SchemaCache.Entry entry, List<TableSchema.Column> upsertKey) {
        return of(rows, entry, upsertKey, entry.schema().table().toString());
    }

    /** @param tableName how reasons name the table (a job's staging copy is named as its destination) */
    public static RowPlan of(List<RowEvent> rows, SchemaCache.Entry entry, List<TableSchema.Column> upsertKey, String tableName) {
        return of(rows, entry, upsertKey, tableName, key -> null);
    }

    /**
     * @param missingColumn for a key with a value and no column: why its row is refused, or null to ignore the key
     *                      (counted as unknown)
     */
    public static RowPlan of(List<RowEvent> rows, SchemaCache.Entry entry, List<TableSchema.Column> upsertKey, String tableName,
                             Function<String, String> missingColumn) {
        return of(rows, entry, upsertKey, tableName, missingColumn, null, null);
    }

    /**
     * @param version       the version column of a version-aware upsert (needs {@code upsertKey}), or null
     * @param sourceVersion the version each row takes from its source record, written into {@code version} over any
     *                      value the row has; null: the row's own value for the column
     */
    public static RowPlan of(List<RowEvent> rows, SchemaCache.Entry entry, List<TableSchema.Column> upsertKey, String tableName,
                             Function<String, String> missingColumn, TableSchema.Column version,
                             ToLongFunction<RowEvent> sourceVersion) {
        TableSchema schema = entry.schema();
        List<RowEvent> stale = new ArrayList<>();
        Map<RowEvent, BigDecimal> versions = version == null ? Map.of() : new IdentityHashMap<>();
        int ncols = schema.columns().size();
        List<Rejected> rejected = new ArrayList<>();
        List<Pending> pending = new ArrayList<>(rows.size());
        Map<Key, Pending> byKey = upsertKey == null || upsertKey.isEmpty() ? null : new HashMap<>();
        int unknown = 0;
        Matcher m = new Matcher(entry, missingColumn, ncols);
        for (RowEvent row : rows) {
            PartitionValues.columns(row, entry.lookup()).forEach(m.start()); // forEach: no entry object per column
            Object[] values = m.values;
            boolean[] present = m.present;
            int count = m.count;
            String problem = m.problem;
            unknown += m.unknown;
            if (problem == null && version != null && sourceVersion != null) {
                try {
                    values[version.index()] = entry.writers()[version.index()].coerce(sourceVersion.applyAsLong(row));
                    present[version.index()] = true; // not counted: a message none of whose keys is a column stays refused
                } catch (CoercionException ce) {
                    problem = ce.getMessage();
                }
            }
            if (problem == null) problem = missingRequired(schema, present, values, count, row);
            BigDecimal v = version == null || problem != null ? null : VersionGuard.number(values[version.index()]);
            if (version != null && problem == null && v == null) {
                problem = "no number for version column " + version.name() + " (KWSYNC_JDBC_VERSION_COLUMN)";
            }
            if (problem != null) {
                rejected.add(new Rejected(row, new DirtyRecordException(DirtyRecordException.Stage.WRITE,
                        "table " + tableName + ": " + problem)));
                continue;
            }
            Key key = byKey == null ? null : Key.of(upsertKey, present, values);
            Pending earlier = key == null ? null : byKey.get(key);
            if (earlier != null && v != null && v.compareTo(earlier.version) <= 0) {
                stale.add(row);
                continue;
            }
            if (v != null) versions.put(row, v);
            if (earlier != null) {
                earlier.merge(row, present, values);
                earlier.version = v;
            } else {
                Pending p = new Pending(row, present, values);
                p.version = v;
                pending.add(p);
                if (key != null) byKey.put(key, p);
            }
        }
        Map<ColumnSet, Group> groups = new LinkedHashMap<>();
        List<Planned> order = new ArrayList<>(pending.size());
        int[] lastIdx = null;
        Group last = null;
        int[] all = new int[ncols];
        for (int i = 0; i < ncols; i++) all[i] = i;
        for (Pending p : pending) {
            int[] idx = p.indexes(all);
            Object[] compact = p.values;
            if (idx.length < ncols) {
                compact = new Object[idx.length];
                for (int j = 0; j < idx.length; j++) compact[j] = p.values[idx[j]];
            }
            // consecutive rows of a stream nearly always fill the same columns: skip the map lookup for them
            Group g = last != null && Arrays.equals(idx, lastIdx) ? last
                    : groups.computeIfAbsent(new ColumnSet(idx), cs -> cs.group(schema, entry.writers()));
            last = g;
            lastIdx = idx;
            order.add(new Planned(g, g.values().size()));
            g.values().add(compact);
            g.sources().add(p.sources);
        }
        return new RowPlan(new ArrayList<>(groups.values()), order, rejected, unknown, stale, versions);
    }

    /**
     * Matches one row's keys to columns and coerces their values, as {@code forEach} hands them over; after a problem
     * the row's remaining keys are passed over. The rows of a stream name their columns alike, with the same String
     * instances (RowEventCodec): the column the previous row's key at this position went to is looked up again only
     * when the key is another instance.
     */
    private static final class Matcher implements BiConsumer<String, Object> {
        private final SchemaCache.Entry entry;
        private final Function<String, String> missingColumn;
        private final int ncols;
        private final String[] seenKeys;
        private final TableSchema.Column[] seenColumns;
        Object[] values;
        boolean[] present;
        int count;
        int unknown;
        String problem;
        private int at;

        Matcher(SchemaCache.Entry entry, Function<String, String> missingColumn, int ncols) {
            this.entry = entry;
            this.missingColumn = missingColumn;
            this.ncols = ncols;
            seenKeys = new String[ncols + 8];
            seenColumns = new TableSchema.Column[seenKeys.length];
        }

        /** Ready for the next row (new arrays: the plan keeps them). */
        Matcher start() {
            values = new Object[ncols];
            present = new boolean[ncols];
            count = 0;
            unknown = 0;
            problem = null;
            at = 0;
            return this;
        }

        @Override
        public void accept(String key, Object value) {
            if (problem != null) return;
            TableSchema.Column col;
            if (at < seenKeys.length && seenKeys[at] == key) {
                col = seenColumns[at];
            } else {
                col = entry.lookup().find(key);
                if (at < seenKeys.length) {
                    seenKeys[at] = key;
                    seenColumns[at] = col;
                }
            }
            at++;
            if (col == null) {
                problem = value == null ? null : missingColumn.apply(key);
                if (problem == null) unknown++;
            } else if (present[col.index()]) {
                problem = "keys map to column " + col.name() + " more than once";
            } else {
                try {
                    values[col.index()] = entry.writers()[col.index()].coerce(value);
                } catch (CoercionException ce) {
                    problem = ce.getMessage();
                    return;
                }
                present[col.index()] = true;
                count++;
            }
        }
    }

    private static String missingRequired(TableSchema schema, boolean[] present, Object[] values, int count, RowEvent row) {
        if (count == 0) {
            return "no key of the message " + row.columns().keySet() + " matches a column";
        }
        for (TableSchema.Column c : schema.columns()) {
            if (!c.nullable() && (present[c.index()] ? values[c.index()] == null : !c.hasDefault())) {
                return present[c.index()] ? "null for NOT NULL column " + c.name() : "no value for NOT NULL column " + c.name();
            }
        }
        return null;
    }

    /** A row on its way into a group: values by column index, and the source rows merged into it. */
    private static final class Pending {
        final boolean[] present;
        final Object[] values;
        List<RowEvent> sources;
        /** The highest version merged in; null without a version column. */
        BigDecimal version;

        Pending(RowEvent row, boolean[] present, Object[] values) {
            this.present = present;
            this.values = values;
            this.sources = List.of(row);
        }

        void merge(RowEvent row, boolean[] laterPresent, Object[] laterValues) {
            for (int i = 0; i < present.length; i++) {
                if (laterPresent[i]) {
                    present[i] = true;
                    values[i] = laterValues[i];
                }
            }
            if (sources.size() == 1) sources = new ArrayList<>(sources);
            sources.add(row);
        }

        /** @param all the indexes of every column, returned as they are when the row fills every column */
        int[] indexes(int[] all) {
            int n = 0;
            for (boolean b : present) if (b) n++;
            if (n == all.length) return all;
            int[] idx = new int[n];
            for (int i = 0, j = 0; i < present.length; i++) if (present[i]) idx[j++] = i;
            return idx;
        }
    }

    /** Primary-key values of a row; null when a key column is absent or null (its default decides, so no merge). */
    private record Key(Object[] values) {
        static Key of(List<TableSchema.Column> key, boolean[] present, Object[] values) {
            Object[] k = new Object[key.size()];
            for (int i = 0; i < k.length; i++) {
                int idx = key.get(i).index();
                Object v = values[idx];
                if (!present[idx] || v == null) return null;
                k[i] = v instanceof BigDecimal d ? d.stripTrailingZeros() : v;
            }
            return new Key(k);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.deepEquals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values);
        }
    }

    private record ColumnSet(int[] indexes) {
        Group group(TableSchema schema, ColumnWriter[] writers) {
            List<TableSchema.Column> columns = new ArrayList<>(indexes.length);
            List<ColumnWriter> ws = new ArrayList<>(indexes.length);
            for (int i : indexes) {
                columns.add(schema.columns().get(i));
                ws.add(writers[i]);
            }
            return new Group(columns, ws, new ArrayList<>(), new ArrayList<>());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ColumnSet c && Arrays.equals(indexes, c.indexes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(indexes);
        }
    }
}
