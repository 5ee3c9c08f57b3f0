package io.kwsync.sink.jdbc.write;

import io.kwsync.model.RowEvent;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.schema.SchemaReader;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Table schemas read from JDBC metadata once, with a {@link ColumnWriter} per column, kept until {@link #forget}:
 * after a write failed on the schema, after the sink changed the table, or when messages carry keys the table lacks
 * and the schema is older than {@link #UNKNOWN_KEYS_REFRESH_MILLIS} ({@link #staleFor}), so that a column an
 * operator adds is written within a minute, or until it is the least recently used of more than {@code maxTables}
 * (KWSYNC_JDBC_SCHEMA_CACHE_SIZE): a stream routed to any number of tables keeps a bounded number of schemas, and a
 * table that fell out costs one metadata read when its rows come again.
 */
public final class SchemaCache {

    public static final long UNKNOWN_KEYS_REFRESH_MILLIS = 60_000;

    static final int DEFAULT_MAX_TABLES = 1000;

    /** A table's schema, how to find a key's column, and how to write each column (by column index). */
    public record Entry(TableSchema schema, TableSchema.Lookup lookup, ColumnWriter[] writers, long readAtMillis) {
    }

    private final Map<TableName, Entry> cache;
    private final SqlDialect dialect;
    private final ZoneId zone;
    private final Clock clock;

    /** With room for {@link #DEFAULT_MAX_TABLES} tables (job staging: one table per run). */
    public SchemaCache(SqlDialect dialect, ZoneId zone, Clock clock) {
        this(dialect, zone, clock, DEFAULT_MAX_TABLES);
    }

    public SchemaCache(SqlDialect dialect, ZoneId zone, Clock clock, int maxTables) {
        if (maxTables < 1) throw new IllegalArgumentException("maxTables < 1");
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) { // access order: LRU
            @Override
            protected boolean removeEldestEntry(Map.Entry<TableName, Entry> eldest) {
                return size() > maxTables;
            }
        });
        this.dialect = dialect;
        this.zone = zone;
        this.clock = clock;
    }

    /** The cached or freshly read schema, or null when the table does not exist (or the user cannot see it). */
    public Entry get(Connection c, TableName table) throws SQLException {
        Entry e = cache.get(table);
        if (e == null) {
            e = readEntry(c, table);
            if (e == null) return null;
            cache.put(table, e);
        }
        return e;
    }

    /** The schema as it is now, with its column writers, without caching it (for short-lived tables). */
    public Entry readEntry(Connection c, TableName table) throws SQLException {
        TableSchema schema = SchemaReader.read(c, table, dialect);
        if (schema == null) return null;
        ColumnWriter[] writers = new ColumnWriter[schema.columns().size()];
        for (TableSchema.Column col : schema.columns()) {
            writers[col.index()] = new ColumnWriter(dialect.rules(col), dialect.bindsTextUntyped(),
                    dialect.bindsTemporalAsText(), zone);
        }
        return new Entry(schema, schema.lookup(), writers, clock.millis());
    }

    /** Tables whose schema is held now. */
    public int size() {
        return cache.size();
    }

    public void forget(TableName table) {
        cache.remove(table);
    }

    /**
     * Whether to read the schema again before writing these rows: it was read long enough ago and a row has a key it
     * does not know (a column an operator added since). Scans the keys only when the schema is old, so at most once
     * per {@link #UNKNOWN_KEYS_REFRESH_MILLIS} per table while such keys keep coming.
     */
    public boolean staleFor(Entry e, List<RowEvent> rows) {
        if (clock.millis() - e.readAtMillis() < UNKNOWN_KEYS_REFRESH_MILLIS) return false;
        for (RowEvent r : rows) {
            for (String key : r.columns().keySet()) {
                if (e.lookup().find(key) == null) return true;
            }
        }
        return false;
    }
}
