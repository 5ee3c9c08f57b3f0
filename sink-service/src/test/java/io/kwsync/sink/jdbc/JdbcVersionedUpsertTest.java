package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.jdbc.JdbcConfig.JdbcWriteMode;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.schema.SchemaReader;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version-aware upserts (KWSYNC_JDBC_VERSION_COLUMN) against the real MariaDB and PostgreSQL: out-of-order versions of a
 * key, within one batch and across batches, end with the newest; every older one is counted as stale exactly once and
 * not written; the statements' own condition keeps a newer row even when the look-up is bypassed.
 */
class JdbcVersionedUpsertTest {

    private final List<JdbcRowSink> sinks = new ArrayList<>();
    private final String connector = TestKafka.unique("jdbc-version");
    private long nextOffset;

    @AfterEach
    void closeSinks() {
        sinks.forEach(JdbcRowSink::close);
    }

    static String url(String db) {
        return db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
    }

    JdbcRowSink sink(String db, String versionColumn) throws SQLException {
        return sink(db, versionColumn, JdbcConfig.VersionSource.COLUMN);
    }

    JdbcRowSink sink(String db, String versionColumn, JdbcConfig.VersionSource source) throws SQLException {
        SqlDialect dialect = SqlDialect.forUrl(url(db));
        AgroalDataSource ds = JdbcDataSources.open(url(db), TestDatabases.user(), TestDatabases.password(), 2, dialect);
        JdbcRowSink sink = new JdbcRowSink(ds, dialect, new JdbcRowSink.Options(connector, "kwsync_offsets", JdbcWriteMode.UPSERT,
                ZoneId.of("UTC"), false, false, true, JdbcConfig.DEFAULT_AUTO_COLUMNS_MAX, JdbcConfig.DEFAULT_SCHEMA_CACHE_SIZE,
                versionColumn, source), Clock.systemUTC());
        sink.prepare();
        sinks.add(sink);
        return sink;
    }

    RowEvent row(String table, long id, Long version, String name) {
        return row(table, id, version, name, 1_700_000_000_000L);
    }

    RowEvent row(String table, long id, Long version, String name, long timestamp) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        if (version != null) c.put("ver", version);
        c.put("name", name);
        long offset = nextOffset++;
        return new RowEvent(new Origin("src", 0, offset, timestamp, null, List.of()), Destination.table(table), c);
    }

    record Outcome(WriteResult result, List<String> reasons) {
    }

    static Outcome write(JdbcRowSink sink, List<RowEvent> rows) throws SinkException {
        List<Rejected> rejected = new ArrayList<>();
        WriteResult r = sink.write(rows, rejected::addAll);
        return new Outcome(r, rejected.stream().map(x -> x.reason().getMessage()).toList());
    }

    /** id -> "name@ver" of every row of the table. */
    static Map<Long, String> rows(String db, String table) {
        Map<Long, String> out = new TreeMap<>();
        for (Map<String, Object> r : TestDatabases.query(url(db), "SELECT id, name, ver FROM " + table)) {
            out.put(((Number) r.get("id")).longValue(), r.get("name") + "@" + r.get("ver"));
        }
        return out;
    }

    static String table(String db, String prefix) {
        String t = TestKafka.unique(prefix).replace('-', '_');
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(20), ver BIGINT)");
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "postgresql"})
    void outOfOrderVersionsEndWithTheNewestAndTheOlderAreCountedStale(String db) throws Exception {
        String t = table(db, "versions");
        JdbcRowSink sink = sink(db, "ver");

        Outcome first = write(sink, List.of(row(t, 1, 5L, "a5"), row(t, 1, 3L, "a3"), row(t, 2, 1L, "b1"), row(t, 1, 7L, "a7"),
                row(t, 2, 1L, "b1-again"), row(t, 3, 2L, "c2")));
        assertEquals(Map.of(1L, "a7@7", 2L, "b1@1", 3L, "c2@2"), rows(db, t));
        assertEquals(2, first.result().stale(), "a3 (after a5) and the second b1 (same version) are stale");
        assertEquals(4, first.result().written(), "a5 and a7 are both applied, in order, as one row");

        List<RowEvent> second = List.of(row(t, 1, 6L, "a6"), row(t, 2, 4L, "b4"), row(t, 3, 2L, "c2-again"), row(t, 3, 1L, "c1"),
                row(t, 4, 1L, "d1"), row(t, 2, 3L, "b3"));
        Outcome out = write(sink, second);
        assertEquals(Map.of(1L, "a7@7", 2L, "b4@4", 3L, "c2@2", 4L, "d1@1"), rows(db, t));
        assertEquals(4, out.result().stale(), "a6, c2-again and c1 are older than the table, b3 older than b4");
        assertEquals(2, out.result().written());
        assertEquals(0, out.result().rejected());

        Outcome replay = write(sink, second);
        assertEquals(second.size(), replay.result().duplicates(), "a replay is dropped before any version is compared");
        assertEquals(0, replay.result().stale());

        Outcome third = write(sink, List.of(row(t, 4, 0L, "d0"), row(t, 4, 9L, "d9"), row(t, 5, null, "no version")));
        assertEquals(Map.of(1L, "a7@7", 2L, "b4@4", 3L, "c2@2", 4L, "d9@9"), rows(db, t));
        assertEquals(1, third.result().stale(), "d0 is older than the table's d1 although d9 after it is written");
        assertEquals(1, third.result().written());
        assertEquals(1, third.result().rejected());
        assertTrue(third.reasons().get(0).contains("no number for version column ver (KWSYNC_JDBC_VERSION_COLUMN)"),
                third.reasons().toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "postgresql"})
    void theSourceRecordsTimestampOrOffsetCanBeTheVersion(String db) throws Exception {
        String t = table(db, "by_ts");
        JdbcRowSink byTimestamp = sink(db, "ver", JdbcConfig.VersionSource.TIMESTAMP);
        Outcome first = write(byTimestamp, List.of(row(t, 1, null, "b", 2000), row(t, 1, 99_999L, "a", 1000), row(t, 2, null, "x", 5)));
        assertEquals(Map.of(1L, "b@2000", 2L, "x@5"), rows(db, t), "the timestamp is written over a value the row has");
        assertEquals(1, first.result().stale());
        Outcome second = write(byTimestamp, List.of(row(t, 1, null, "c", 1500), row(t, 2, null, "y", 6)));
        assertEquals(Map.of(1L, "b@2000", 2L, "y@6"), rows(db, t));
        assertEquals(1, second.result().stale());

        String o = table(db, "by_offset");
        JdbcRowSink byOffset = sink(db, "ver", JdbcConfig.VersionSource.OFFSET);
        long before = nextOffset;
        write(byOffset, List.of(row(o, 1, null, "a"), row(o, 1, null, "b")));
        assertEquals(Map.of(1L, "b@" + (before + 1)), rows(db, o));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "postgresql"})
    void theStatementItselfReplacesARowOnlyWithANewerVersion(String db) throws Exception {
        String t = table(db, "guard");
        TestDatabases.execute(url(db), "INSERT INTO " + t + " (id, name, ver) VALUES (1, 'ten', 10), (2, 'unversioned', NULL)");
        SqlDialect dialect = SqlDialect.forUrl(url(db));
        try (AgroalDataSource ds = JdbcDataSources.open(url(db), TestDatabases.user(), TestDatabases.password(), 2, dialect);
             Connection c = ds.getConnection()) {
            TableSchema schema = SchemaReader.read(c, TableName.parse(t), dialect);
            TableSchema.Column ver = schema.columns().get(2);
            String sql = dialect.insertSql(schema.table(), schema.columns(), 3, schema.primaryKey(), ver);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Object[][] values = {{1L, "five", 5L}, {2L, "one", 1L}, {3L, "new", 1L}};
                int p = 1;
                for (Object[] row : values) {
                    for (Object v : row) ps.setObject(p++, v);
                }
                ps.executeUpdate();
            }
        }
        assertEquals(Map.of(1L, "ten@10", 2L, "one@1", 3L, "new@1"), rows(db, t),
                "an older version leaves the row, a row without a version takes one, a new key is inserted");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "postgresql"})
    void aTableThatCannotHaveTheVersionColumnStopsTheSinkNamingTheVariable(String db) throws Exception {
        JdbcRowSink sink = sink(db, "ver");
        String missing = TestKafka.unique("nover").replace('-', '_');
        TestDatabases.execute(url(db), "CREATE TABLE " + missing + " (id BIGINT PRIMARY KEY, name VARCHAR(20))");
        SinkException e = assertThrows(SinkException.class, () -> write(sink, List.of(row(missing, 1, 1L, "a"))));
        assertFalse(e.retriable());
        assertTrue(e.getMessage().contains("KWSYNC_JDBC_VERSION_COLUMN=ver") && e.getMessage().contains("has no column"), e.getMessage());

        String text = TestKafka.unique("textver").replace('-', '_');
        TestDatabases.execute(url(db), "CREATE TABLE " + text + " (id BIGINT PRIMARY KEY, name VARCHAR(20), ver VARCHAR(20))");
        SinkException t = assertThrows(SinkException.class, () -> write(sink, List.of(row(text, 1, 1L, "a"))));
        assertTrue(t.getMessage().contains("must be a number"), t.getMessage());
        assertEquals(0, TestDatabases.count(url(db), text));
    }

    @Test
    void theVersionColumnNeedsUpsertMode() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(JdbcConfig.class).withDefaultValues(Map.of(
                "kwsync.jdbc.url", "jdbc:mysql://127.0.0.1:3306/db", "kwsync.jdbc.version-column", "ver")).build();
        var problems = new InvalidConfigurationException.Collector();
        assertNull(JdbcSettings.read(config.getConfigMapping(JdbcConfig.class), "c", problems));
        String m = assertThrows(InvalidConfigurationException.class, problems::throwIfAny).getMessage();
        assertTrue(m.contains("KWSYNC_JDBC_VERSION_COLUMN") && m.contains("KWSYNC_JDBC_WRITE_MODE=upsert"), m);

        SmallRyeConfig upsert = new SmallRyeConfigBuilder().withMapping(JdbcConfig.class).withDefaultValues(Map.of(
                "kwsync.jdbc.url", "jdbc:mysql://127.0.0.1:3306/db", "kwsync.jdbc.version-column", " ver ",
                "kwsync.jdbc.write-mode", "upsert")).build();
        JdbcSettings s = JdbcSettings.read(upsert.getConfigMapping(JdbcConfig.class), "c", new InvalidConfigurationException.Collector());
        assertEquals("ver", s.sinkOptions().versionColumn());

        SmallRyeConfig sourceOnly = new SmallRyeConfigBuilder().withMapping(JdbcConfig.class).withDefaultValues(Map.of(
                "kwsync.jdbc.url", "jdbc:mysql://127.0.0.1:3306/db", "kwsync.jdbc.version-source", "timestamp",
                "kwsync.jdbc.write-mode", "upsert")).build();
        var more = new InvalidConfigurationException.Collector();
        assertNull(JdbcSettings.read(sourceOnly.getConfigMapping(JdbcConfig.class), "c", more));
        String m2 = assertThrows(InvalidConfigurationException.class, more::throwIfAny).getMessage();
        assertTrue(m2.contains("KWSYNC_JDBC_VERSION_SOURCE") && m2.contains("needs KWSYNC_JDBC_VERSION_COLUMN"), m2);
    }
}
