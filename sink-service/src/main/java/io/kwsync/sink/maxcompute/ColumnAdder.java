package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.task.SQLTask;
import io.kwsync.model.ColumnType;
import io.kwsync.model.RowEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Schema evolution into MaxCompute (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS): a message key with a non-null value and no
 * column in the table becomes one, {@code ALTER TABLE p.t ADD COLUMNS (...)} run as a SQL instance before the rows are
 * written, typed by the first non-null value of the key in the batch as the JDBC destination types it (BIGINT, DOUBLE,
 * DECIMAL(38,18), BOOLEAN, STRING, BINARY; JSON objects and arrays as STRING).
 *
 * <p>Names match without regard to case, as MaxCompute's do: a key that is a column in another case is written into
 * that column and adds nothing; two new keys that differ only in case add one column, spelled as the first seen. A key
 * that cannot be a column name, that names a partition column, that would take the table past
 * KWSYNC_MAXCOMPUTE_AUTO_COLUMNS_MAX columns or whose column MaxCompute refused is not added: it is remembered (no DDL
 * tried again for it), counted once in {@code kwsync_maxcompute_keys_not_added_total}, and its values go on being
 * ignored and counted in {@code kwsync_keys_unknown_total}. Sessions of the table still open with its old columns
 * are committed first ({@link Sessions}), so that no row is written with fewer columns than the table has.
 *
 * <p>Not thread-safe: the sink's writer thread owns it.
 */
final class ColumnAdder {

    /** Closes what the sink holds open on a table's old columns. */
    interface Sessions {
        void close(String table) throws Exception;
    }

    /** Reads a table as the sink does (cached). */
    interface Tables {
        TableInfo get(String table) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(ColumnAdder.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final Odps odps;
    private final String project;
    private final SdkCalls calls;
    private final TableCatalog catalog;
    private final int maxColumns;
    /** Per table, in lower case: keys not to add, with why. */
    private final Map<String, Map<String, String>> notAdded = new ConcurrentHashMap<>();
    private final AtomicInteger remembered = new AtomicInteger();
    private final Counter added;
    private final MeterRegistry registry;

    ColumnAdder(Odps odps, String project, SdkCalls calls, TableCatalog catalog, int maxColumns, MeterRegistry registry) {
        this.odps = odps;
        this.project = project;
        this.calls = calls;
        this.catalog = catalog;
        this.maxColumns = maxColumns;
        this.registry = registry;
        this.added = Counter.builder("kwsync.maxcompute.columns.added")
                .description("Columns the sink added to MaxCompute tables (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS)").register(registry);
    }

    /** Adds the columns the rows of each table need; a table that changed is read again by the next {@code tables.get}. */
    void addMissing(Map<String, List<RowEvent>> rowsByTable, Tables tables, Sessions sessions) throws Exception {
        for (Map.Entry<String, List<RowEvent>> e : rowsByTable.entrySet()) {
            TableInfo t = tables.get(e.getKey());
            Map<String, String> columns = missing(t, e.getValue());
            if (columns.isEmpty()) continue;
            sessions.close(t.name);
            add(t, columns);
            catalog.forget(t.name);
        }
    }

    /** Column name to MaxCompute type for the keys to add, in the order first seen; keys not to add are remembered. */
    Map<String, String> missing(TableInfo t, List<RowEvent> rows) {
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, String> skip = notAdded.getOrDefault(key(t.name), Map.of());
        for (RowEvent row : rows) {
            for (Map.Entry<String, Object> c : row.columns().entrySet()) {
                String name = c.getKey();
                String lower = name.toLowerCase(Locale.ROOT);
                if (c.getValue() == null || name.startsWith("#") || t.indexOf(name) >= 0 || skip.containsKey(lower)) continue;
                if (columns.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name))) continue; // one column for both spellings
                if (!MaxComputeDdl.isIdentifier(name)) {
                    notAdd(t.name, name, "invalid-name", "'" + name + "' cannot be a MaxCompute column name"
                            + " (a letter, then letters, digits, underscores; 128 at most)");
                } else if (t.partitionColumns.stream().anyMatch(p -> p.equalsIgnoreCase(name))) {
                    notAdd(t.name, name, "partition-column", "'" + name + "' is a partition column of the table");
                } else {
                    columns.put(name, type(ColumnType.of(c.getValue())));
                }
            }
        }
        return columns;
    }

    private void add(TableInfo t, Map<String, String> columns) throws Exception {
        int room = maxColumns - t.columnCount();
        Map<String, String> take = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : columns.entrySet()) {
            if (take.size() < room) take.put(c.getKey(), c.getValue());
            else notAdd(t.name, c.getKey(), "limit", "table " + t.name + " has the " + maxColumns
                    + " columns KWSYNC_MAXCOMPUTE_AUTO_COLUMNS_MAX lets the sink reach");
        }
        if (take.isEmpty()) return;
        List<String> defs = new ArrayList<>();
        take.forEach((name, type) -> defs.add("`" + name + "` " + type));
        // IF NOT EXISTS: another replica of the sink may have added the same columns a moment ago
        QualifiedTable q = QualifiedTable.parse(t.name, project); // project.table, or project.schema.table with its hints
        String ddl = "ALTER TABLE " + q + " ADD COLUMNS IF NOT EXISTS (" + String.join(", ", defs) + ");";
        try {
            calls.call("adding columns to " + q, () -> {
                SQLTask.run(odps, project, ddl, "KwsyncAddColumns", q.hints(), null).waitForSuccess();
                return null;
            });
        } catch (Exception e) {
            if (MaxComputeErrors.retriable(e) && !isStatementRefused(e)) throw e;
            String why = MaxComputeErrors.describe(e, "adding columns " + take.keySet() + " to " + q);
            LOG.warnf("%s; the values of these keys are ignored and counted in kwsync_keys_unknown_total", why);
            take.keySet().forEach(k -> notAdd(t.name, k, "refused", why));
            return;
        }
        added.increment(take.size());
        LOG.infof("added columns %s to %s", defs, q);
    }

    /** A SQL instance that ran and failed (ODPS-0130xxx): the statement, not the network, is the problem. */
    private static boolean isStatementRefused(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("ODPS-01")) return true;
        }
        return false;
    }

    private void notAdd(String table, String name, String reason, String why) {
        Map<String, String> skip = notAdded.computeIfAbsent(key(table), k -> new ConcurrentHashMap<>());
        String lower = name.toLowerCase(Locale.ROOT);
        if (skip.containsKey(lower)) return;
        // past the bound, keys are decided (and counted) again each batch rather than held in memory
        boolean remember = remembered.incrementAndGet() <= MAX_REMEMBERED;
        if (remember) skip.put(lower, why);
        Counter.builder("kwsync.maxcompute.keys.not.added").tag("reason", reason)
                .description("Message keys the sink did not add as MaxCompute columns, once per table and key")
                .register(registry).increment();
        if (remember && !reason.equals("invalid-name")) LOG.infof("not adding a column for key %s to %s: %s", name, table, why);
    }

    private static String key(String table) {
        return table.toLowerCase(Locale.ROOT);
    }

    /** The MaxCompute type of a new column from the JSON value's type. */
    static String type(ColumnType value) {
        return switch (value) {
            case BOOLEAN -> "BOOLEAN";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(38,18)";
            case BYTES -> "BINARY";
            case NULL, STRING, JSON -> "STRING";
        };
    }
}
