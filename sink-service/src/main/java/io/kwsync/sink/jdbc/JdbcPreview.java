package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.DestinationPreview;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.write.RowPlan;
import io.kwsync.sink.jdbc.write.SchemaCache;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JDBC destination's preview: reads the table's schema as the sink would (not cached, so a change made a moment
 * ago shows), plans the rows against it with the same coercion the writes use, and spells out the CREATE TABLE or
 * ALTER TABLE statements that KWSYNC_JDBC_AUTO_CREATE_TABLE / KWSYNC_JDBC_AUTO_ADD_COLUMNS would make it run. Runs no
 * DDL and writes nothing.
 */
final class JdbcPreview implements DestinationPreview {

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    private final SchemaCache schemas;
    private final SchemaChanges changes;
    private final JdbcRowSink.Options options;

    JdbcPreview(AgroalDataSource dataSource, SqlDialect dialect, SchemaCache schemas, SchemaChanges changes, JdbcRowSink.Options options) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schemas = schemas;
        this.changes = changes;
        this.options = options;
    }

    @Override
    public Result preview(String table, List<RowEvent> rows) throws SinkException {
        TableName name = TableName.parse(table);
        String problem = dialect.tableNameProblem(name);
        if (problem != null) throw new IllegalArgumentException("table " + table + ": " + problem);
        try (Connection c = dataSource.getConnection()) {
            SchemaCache.Entry entry = schemas.readEntry(c, name);
            if (entry == null) return missingTable(name, rows);
            Map<String, String> missing = changes.inferColumns(rows, entry.lookup());
            List<String> ddl = new ArrayList<>();
            if (options.autoAddColumns()) missing.forEach((col, type) -> ddl.add(dialect.addColumn(name, col, type)));
            RowPlan plan = RowPlan.of(rows, entry, null, name.toString(), k -> changes.missingColumn(entry, k, options.autoAddColumns()));
            List<Refusal> refused = new ArrayList<>();
            for (Rejected r : plan.rejected()) refused.add(new Refusal((int) r.row().origin().offset(), DeadLetter.describe(r.reason())));
            refused.sort((a, b) -> Integer.compare(a.row(), b.row()));
            String note = missing.isEmpty() ? "every key has a column"
                    : options.autoAddColumns() ? "the sink adds the missing columns (KWSYNC_JDBC_AUTO_ADD_COLUMNS=true) before writing"
                    : "keys without a column are ignored and counted in kwsync_keys_unknown_total (KWSYNC_JDBC_AUTO_ADD_COLUMNS=false)";
            return new Result(name.toString(), true, ddl, List.copyOf(missing.keySet()), refused, note);
        } catch (SQLException e) {
            throw new SinkException("cannot read the schema of table " + table + ": " + e.getMessage(), true, e);
        }
    }

    private Result missingTable(TableName name, List<RowEvent> rows) {
        Map<String, String> columns = changes.inferColumns(rows, null);
        Set<String> keys = new LinkedHashSet<>();
        rows.forEach(r -> keys.addAll(r.columns().keySet()));
        if (!options.autoCreateTable()) {
            return new Result(name.toString(), false, List.of(), List.copyOf(keys), List.of(), "table " + name
                    + " does not exist: the sink holds the rows until it is created (KWSYNC_JDBC_AUTO_CREATE_TABLE=false)");
        }
        if (columns.isEmpty()) {
            return new Result(name.toString(), false, List.of(), List.copyOf(keys), List.of(),
                    "table " + name + " does not exist, and no row has a non-null value to create it from");
        }
        return new Result(name.toString(), false, List.of(dialect.createTable(name, columns)), List.of(), List.of(),
                "the sink creates the table from the rows' keys (KWSYNC_JDBC_AUTO_CREATE_TABLE=true) before writing");
    }
}
