package io.kwsync.sink.jdbc;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one table, matched against its schema: grouped by the set of columns they fill (one INSERT shape per
 * group), with the rows that cannot be written at all set aside as rejected. Pure; no database access.
 */
record RowPlan(List<Group> groups, List<Rejected> rejected, int unknownKeys) {

    /** Rows filling the same columns, in source order; values[i] lines up with columns. */
    record Group(List<TableSchema.Column> columns, List<RowEvent> rows, List<Object[]> values) {
    }

    static RowPlan of(List<RowEvent> rows, TableSchema.Lookup lookup, TableSchema schema) {
        Map<ColumnSet, Group> groups = new LinkedHashMap<>();
        List<Rejected> rejected = new ArrayList<>();
        int unknown = 0;
        int ncols = schema.columns().size();
        for (RowEvent row : rows) {
            Object[] byIndex = new Object[ncols];
            boolean[] present = new boolean[ncols];
            int count = 0;
            String problem = null;
            for (Map.Entry<String, Object> e : row.columns().entrySet()) {
                TableSchema.Column col = lookup.find(e.getKey());
                if (col == null) {
                    unknown++;
                } else if (present[col.index()]) {
                    problem = "keys map to column " + col.name() + " more than once";
                } else {
                    present[col.index()] = true;
                    byIndex[col.index()] = e.getValue();
                    count++;
                }
            }
            if (problem == null) problem = missingRequired(schema, present, byIndex, count, row);
            if (problem != null) {
                rejected.add(new Rejected(row, new DirtyRecordException(DirtyRecordException.Stage.WRITE,
                        "table " + schema.table() + ": " + problem)));
                continue;
            }
            int[] idx = new int[count];
            Object[] values = new Object[count];
            for (int i = 0, j = 0; i < ncols; i++) {
                if (present[i]) {
                    idx[j] = i;
                    values[j++] = byIndex[i];
                }
            }
            Group g = groups.computeIfAbsent(new ColumnSet(idx), cs -> new Group(cs.columns(schema), new ArrayList<>(), new ArrayList<>()));
            g.rows().add(row);
            g.values().add(values);
        }
        return new RowPlan(new ArrayList<>(groups.values()), rejected, unknown);
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

    private record ColumnSet(int[] indexes) {
        List<TableSchema.Column> columns(TableSchema schema) {
            List<TableSchema.Column> out = new ArrayList<>(indexes.length);
            for (int i : indexes) out.add(schema.columns().get(i));
            return out;
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
