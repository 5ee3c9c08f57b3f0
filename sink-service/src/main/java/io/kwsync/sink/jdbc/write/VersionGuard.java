package io.kwsync.sink.jdbc.write;

import io.kwsync.model.RowEvent;
import io.kwsync.sink.jdbc.dialect.ColumnKind;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Version-aware upserts (KWSYNC_JDBC_VERSION_COLUMN): a row replaces the row of its primary key only when its version
 * is higher than the one in the table. Within a batch {@link RowPlan} already keeps the newest version of each key;
 * this compares what is left with the table inside the write's transaction, so that rows the table already has a newer
 * (or the same) version of are counted as stale and left out of the statements. The statements themselves carry the
 * same condition ({@link SqlDialect#appendUpsert(StringBuilder, List, List, TableSchema.Column)}), so a row another
 * writer made newer between this read and the write is still not overwritten; only the count could then miss it.
 *
 * <p>Versions are compared as numbers (integer and decimal columns: a sequence, the source record's offset or its
 * timestamp in epoch milliseconds mapped into the column), the only kind whose order reads the same in Java, MariaDB
 * and PostgreSQL.
 */
public final class VersionGuard {

    /** Rows per look-up statement; each costs one parameter per key column. */
    private static final int ROWS_PER_LOOKUP = 200;

    private final SqlDialect dialect;

    public VersionGuard(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The version of a coerced value, or null when it is none (null, or not a number). */
    public static BigDecimal number(Object coerced) {
        if (coerced instanceof BigDecimal d) return d;
        if (coerced instanceof Long || coerced instanceof Integer || coerced instanceof Short || coerced instanceof Byte) {
            return BigDecimal.valueOf(((Number) coerced).longValue());
        }
        if (coerced instanceof Double d && Double.isFinite(d)) return BigDecimal.valueOf(d);
        if (coerced instanceof Float f && Float.isFinite(f)) return BigDecimal.valueOf(f.doubleValue());
        return null;
    }

    /**
     * Why the configured column cannot be the version column of this table, or null when it can.
     *
     * @param column the column of that name, or null when the table has none
     */
    public static String problem(TableSchema schema, String name, TableSchema.Column column, ColumnKind kind) {
        String where = "KWSYNC_JDBC_VERSION_COLUMN=" + name + ": table " + schema.table();
        if (column == null) return where + " has no column of that name; add it, or unset the variable";
        if (schema.primaryKey().contains(column)) return where + " has it in its primary key; a version column must not be";
        return switch (kind) {
            case INTEGER, DECIMAL, REAL, DOUBLE -> null;
            default -> where + " types it " + column.typeName() + "; a version column must be a number (integer or decimal)";
        };
    }

    /**
     * The plan without the rows the table holds a version at least as new of; those are added to its stale rows.
     * Rows whose key has a null column cannot match a table row and are kept.
     */
    public RowPlan check(Connection c, TableName table, List<TableSchema.Column> key, TableSchema.Column version, RowPlan plan)
            throws SQLException {
        List<RowPlan.Planned> order = plan.order();
        BigDecimal[] current = lookUp(c, table, key, version, order);
        Map<RowPlan.Group, RowPlan.Group> kept = new LinkedHashMap<>();
        List<RowPlan.Planned> keptOrder = new ArrayList<>(order.size());
        List<RowEvent> stale = new ArrayList<>(plan.stale());
        for (int i = 0; i < order.size(); i++) {
            RowPlan.Planned p = order.get(i);
            List<RowEvent> sources = p.group().sources().get(p.index());
            List<RowEvent> written = sources;
            if (current[i] != null) {
                written = new ArrayList<>(sources.size());
                for (RowEvent r : sources) {
                    if (plan.versions().get(r).compareTo(current[i]) > 0) written.add(r);
                    else stale.add(r);
                }
            }
            if (written.isEmpty()) continue; // the newest of the key is not newer than the table's: nothing to write
            RowPlan.Group g = kept.computeIfAbsent(p.group(), o -> new RowPlan.Group(o.columns(), o.writers(),
                    new ArrayList<>(), new ArrayList<>()));
            keptOrder.add(new RowPlan.Planned(g, g.values().size()));
            g.values().add(p.group().values().get(p.index()));
            g.sources().add(written);
        }
        return new RowPlan(new ArrayList<>(kept.values()), keptOrder, plan.rejected(), plan.unknownKeys(), stale, plan.versions());
    }

    /** The table's version for each planned row (null: no row with that key, or a null version). */
    private BigDecimal[] lookUp(Connection c, TableName table, List<TableSchema.Column> key, TableSchema.Column version,
                                List<RowPlan.Planned> order) throws SQLException {
        BigDecimal[] current = new BigDecimal[order.size()];
        Map<Integer, String> sqlBySize = new HashMap<>(4);
        for (int from = 0; from < order.size(); from += ROWS_PER_LOOKUP) {
            int n = Math.min(ROWS_PER_LOOKUP, order.size() - from);
            String sql = sqlBySize.computeIfAbsent(n, k -> lookUpSql(table, key, version, k));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int param = 1;
                for (int i = from; i < from + n; i++) {
                    RowPlan.Planned p = order.get(i);
                    List<TableSchema.Column> columns = p.group().columns();
                    Object[] values = p.group().values().get(p.index());
                    for (TableSchema.Column k : key) {
                        int at = columns.indexOf(k);
                        if (at < 0) ps.setNull(param++, java.sql.Types.NULL); // a key column left to its default
                        else p.group().writers().get(at).bind(ps, param++, values[at]);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) current[from + rs.getInt(1)] = rs.getBigDecimal(2);
                }
            }
        }
        return current;
    }

    // One branch per row, each a primary-key look-up; the row's position comes back with its version, so that no key
    // value read back has to be compared in Java with the one sent (their types differ between drivers).
    private String lookUpSql(TableName table, List<TableSchema.Column> key, TableSchema.Column version, int rows) {
        StringBuilder branch = new StringBuilder(", ").append(dialect.quote(version.name())).append(" FROM ")
                .append(dialect.quote(table)).append(" WHERE ");
        for (int i = 0; i < key.size(); i++) branch.append(i == 0 ? "" : " AND ").append(dialect.quote(key.get(i).name())).append(" = ?");
        StringBuilder sql = new StringBuilder(rows * (branch.length() + 24));
        for (int r = 0; r < rows; r++) sql.append(r == 0 ? "SELECT " : " UNION ALL SELECT ").append(r).append(branch);
        return sql.toString();
    }
}
