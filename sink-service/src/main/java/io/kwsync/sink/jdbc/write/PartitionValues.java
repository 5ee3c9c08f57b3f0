package io.kwsync.sink.jdbc.write;

import io.kwsync.model.RowEvent;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row's partition values as column values of a SQL table: a partition column the table has (names compared as for
 * JSON keys) takes the row's partition value, which wins over a JSON key naming the same column, as in window jobs.
 * Partition columns the table lacks are left out, so that a table without them is written as before. Pure.
 */
final class PartitionValues {

    private PartitionValues() {
    }

    /** The row's columns with its partition values added where the table has their columns. */
    static Map<String, Object> columns(RowEvent row, TableSchema.Lookup lookup) {
        Map<String, String> spec = row.destination().partition();
        if (spec.isEmpty()) return row.columns();
        Map<String, TableSchema.Column> filled = new LinkedHashMap<>();
        spec.forEach((k, v) -> {
            TableSchema.Column c = lookup.find(k);
            if (c != null) filled.put(k, c);
        });
        if (filled.isEmpty()) return row.columns();
        Map<String, Object> columns = new LinkedHashMap<>();
        row.columns().forEach((k, v) -> {
            TableSchema.Column c = lookup.find(k);
            if (c == null || !filled.containsValue(c)) columns.put(k, v);
        });
        filled.keySet().forEach(k -> columns.put(k, spec.get(k)));
        return columns;
    }
}
