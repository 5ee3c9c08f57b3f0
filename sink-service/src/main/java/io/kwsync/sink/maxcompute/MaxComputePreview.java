package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.DestinationPreview;
import io.kwsync.sink.SinkException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The MaxCompute destination's preview: reads the table's schema afresh (under the SDK call deadline) and converts
 * each sample row into an SDK record with the same conversions the tunnel writes use, so a value the table's column
 * cannot take is named with the reason the error topic would carry. Opens no tunnel session and adds no partition.
 */
final class MaxComputePreview implements DestinationPreview {

    private final Odps odps;
    private final String project;
    private final SdkCalls calls;
    private final TableCatalog catalog;
    private final boolean autoAddColumns;

    /** @param autoAddColumns whether the sink adds columns for new keys (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS) */
    MaxComputePreview(Odps odps, String project, SdkCalls calls, boolean autoAddColumns) {
        this.autoAddColumns = autoAddColumns;
        this.odps = odps;
        this.project = project;
        this.calls = calls;
        this.catalog = new TableCatalog(odps, project, calls);
    }

    @Override
    public Result preview(String table, List<RowEvent> rows) throws SinkException {
        if (!table.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("table " + table + ": a MaxCompute table name has letters, digits and _ only");
        }
        TableInfo t;
        try {
            boolean exists = calls.call("looking up table " + project + "." + table, () -> odps.tables().exists(project, table));
            if (!exists) {
                Set<String> keys = new LinkedHashSet<>();
                rows.forEach(r -> keys.addAll(r.columns().keySet()));
                return new Result(project + "." + table, false, List.of(), List.copyOf(keys), List.of(), "table " + project + "."
                        + table + " does not exist: the sink fails the rows' batch until it is created; GET /api/maxcompute/ddl"
                        + " generates a CREATE TABLE statement");
            }
            catalog.forget(table);
            t = catalog.get(table);
        } catch (Exception e) {
            throw new SinkException(MaxComputeErrors.describe(e, "reading table " + project + "." + table), true, e);
        }
        Record record = new ArrayRecord(t.schema);
        Set<String> missing = new LinkedHashSet<>();
        List<Refusal> refused = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            RowEvent row = rows.get(i);
            row.columns().forEach((k, v) -> {
                if (v != null && !k.startsWith("#") && t.indexOf(k) < 0) missing.add(k);
            });
            try {
                RecordFiller.fill(record, t, row.columns());
            } catch (RecordFiller.Refused e) {
                refused.add(new Refusal(i, "table " + t.name + " refused the row: " + e.getMessage()));
            }
        }
        String note = missing.isEmpty() ? "every key has a column"
                : autoAddColumns ? "the sink adds the missing columns before writing (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS=true),"
                + " up to KWSYNC_MAXCOMPUTE_AUTO_COLUMNS_MAX; keys that cannot be column names are ignored and counted"
                : "keys without a column are ignored and counted in kwsync_keys_unknown_total (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS=false)";
        return new Result(project + "." + t.name, true, List.of(), List.copyOf(missing), refused, note);
    }
}
