package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.JsonText;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC writer against the real MariaDB (MySQL protocol) and PostgreSQL servers of dev/up.sh, each test run on
 * both: coercion, upsert, the database's own refusals, schema changes, hostile identifiers, qualified names.
 */
class JdbcRowSinkTest {

    /** A test run once on MariaDB and once on PostgreSQL; the parameter names the database. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "postgresql"})
    @interface OnBothDatabases {
    }

    private final List<JdbcRowSink> sinks = new ArrayList<>();
    private final String connector = TestKafka.unique("jdbc-test");
    private long nextOffset;

    @AfterEach
    void closeSinks() {
        sinks.forEach(JdbcRowSink::close);
    }

    static String url(String db) {
        return db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
    }

    static boolean pg(String db) {
        return db.equals("postgresql");
    }

    static String unique(String prefix) {
        return TestKafka.unique(prefix).replace('-', '_');
    }

    /** A mutable clock, so the schema-refresh interval can pass without waiting. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2024-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    JdbcRowSink sink(String db, JdbcWriteMode mode, String zone, boolean autoCreate, boolean autoAdd, Clock clock) throws SQLException {
        return sink(db, mode, zone, autoCreate, autoAdd, true, clock);
    }

    JdbcRowSink sink(String db, JdbcWriteMode mode, String zone, boolean autoCreate, boolean autoAdd, boolean bulkLoad,
                     Clock clock) throws SQLException {
        SqlDialect dialect = SqlDialect.forUrl(url(db));
        AgroalDataSource ds = JdbcDataSources.open(url(db), TestDatabases.user(), TestDatabases.password(), 2, dialect);
        JdbcRowSink sink = new JdbcRowSink(ds, dialect, new JdbcRowSink.Options(connector, "kwsync_offsets", mode,
                ZoneId.of(zone), autoCreate, autoAdd, bulkLoad), clock);
        sink.prepare();
        sinks.add(sink);
        return sink;
    }

    JdbcRowSink sink(String db) throws SQLException {
        return sink(db, JdbcWriteMode.INSERT, "UTC", false, false, Clock.systemUTC());
    }

    RowEvent row(String table, Object... keyValues) {
        return rowFrom("src", table, keyValues);
    }

    RowEvent rowFrom(String topic, String table, Object... keyValues) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) c.put((String) keyValues[i], keyValues[i + 1]);
        long offset = nextOffset++;
        return new RowEvent(new Origin(topic, 0, offset, 1_700_000_000_000L, ("k" + offset).getBytes(), List.of()),
                Destination.table(table), c);
    }

    record Outcome(WriteResult result, Map<Long, String> reasonByOffset) {
    }

    static Outcome write(JdbcRowSink sink, List<RowEvent> rows) throws SinkException {
        List<Rejected> rejected = new ArrayList<>();
        WriteResult r = sink.write(rows, rejected::addAll);
        return new Outcome(r, rejected.stream().collect(Collectors.toMap(x -> x.row().origin().offset(),
                x -> x.reason().getMessage() + (x.reason().getCause() == null ? "" : ": " + x.reason().getCause().getMessage()))));
    }

    static List<Map<String, Object>> select(String db, String sql) {
        return TestDatabases.query(url(db), sql);
    }

    static Map<String, Object> byId(String db, String table, long id) {
        List<Map<String, Object>> rows = select(db, "SELECT * FROM " + table + " WHERE id = " + id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static LocalDateTime local(Object v) {
        return v instanceof Timestamp t ? t.toLocalDateTime() : (LocalDateTime) v;
    }

    static String compactJson(Object v) {
        return String.valueOf(v).replace(" ", "");
    }

    @OnBothDatabases
    void valuesAreCoercedToTheColumnTypesAndOnlyRowsThatDoNotFitAreRejected(String db) throws Exception {
        String t = unique("coerce");
        TestDatabases.execute(url(db), pg(db)
                ? "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, qty INTEGER, price NUMERIC(10,2), ratio DOUBLE PRECISION,"
                + " ok BOOLEAN, day DATE, at TIMESTAMP(3), name VARCHAR(8), doc JSONB, raw BYTEA, note VARCHAR(20) DEFAULT 'none',"
                + " at_tz TIMESTAMPTZ, uid UUID)"
                : "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, qty INT, price DECIMAL(10,2), ratio DOUBLE,"
                + " ok BOOLEAN, day DATE, at DATETIME(3), name VARCHAR(8), doc JSON, raw VARBINARY(8), note VARCHAR(20) DEFAULT 'none')");
        JdbcRowSink sink = sink(db, JdbcWriteMode.INSERT, "Asia/Shanghai", false, false, Clock.systemUTC());
        List<RowEvent> rows = new ArrayList<>();
        Object[] first = {"id", "1", "qty", new BigDecimal("7.0"), "price", "12.345", "ratio", 2L, "ok", "true",
                "day", "2022-11-22", "at", 1_669_082_700_000L, "name", "ann", "doc", new JsonText("{\"a\":[1,2]}"), "raw", "AAEC"};
        if (pg(db)) {
            first = java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.stream.Stream.of(
                    "at_tz", "2022-11-22T10:34:00", "uid", "2b0d6f0e-7c1a-4d7e-9d55-0f4cbb3a7c11")).toArray();
        }
        rows.add(row(t, first));
        rows.add(row(t, "id", 2L, "ok", 1L, "doc", "plain", "at", "2022-11-22 10:34:00.250", "raw", new byte[]{9}));
        rows.add(row(t, "id", 3L, "qty", "many"));
        rows.add(row(t, "id", 4L, "price", new BigDecimal("123456789.1")));
        rows.add(row(t, "id", 5L, "ok", "maybe"));
        rows.add(row(t, "id", 6L, "name", "x".repeat(9)));
        rows.add(row(t, "id", 7L, "at", "yesterday"));
        rows.add(row(t, "id", 8L, "qty", new JsonText("{\"n\":1}")));

        Outcome out = write(sink, rows);
        assertEquals(2, out.result().written());
        assertEquals(6, out.result().rejected());
        Map<Long, String> why = out.reasonByOffset();
        assertTrue(why.get(2L).matches("table " + t + ": column qty \\((INT|int4)\\) cannot take string \"many\": not a number"), why.get(2L));
        assertTrue(why.get(3L).contains("column price (") && why.get(3L).contains("(10,2)) cannot take number 123456789.1: has 9 digits"
                + " before the decimal point, the column allows 8"), why.get(3L));
        assertTrue(why.get(4L).contains("cannot take string \"maybe\": not a boolean"), why.get(4L));
        assertTrue(why.get(5L).contains("(8)) cannot take string \"xxxxxxxxx\": 9 characters, the column holds 8"), why.get(5L));
        assertTrue(why.get(6L).contains("column at (") && why.get(6L).contains("not an ISO-8601"), why.get(6L));
        assertTrue(why.get(7L).contains("cannot take a JSON object"), why.get(7L));

        Map<String, Object> r1 = byId(db, t, 1);
        assertEquals(7, ((Number) r1.get("qty")).intValue());
        assertEquals(new BigDecimal("12.35"), r1.get("price"));
        assertEquals(2.0, ((Number) r1.get("ratio")).doubleValue());
        assertEquals(Boolean.TRUE, r1.get("ok"));
        assertEquals("2022-11-22", r1.get("day").toString());
        assertEquals(LocalDateTime.parse("2022-11-22T10:05:00"), local(r1.get("at")), "epoch millis as wall-clock time in +08:00");
        assertEquals("ann", r1.get("name"));
        assertEquals("{\"a\":[1,2]}", compactJson(r1.get("doc")));
        assertArrayEquals(HexFormat.of().parseHex("000102"), (byte[]) r1.get("raw"));
        assertEquals("none", r1.get("note"), "an absent key leaves the column default");
        if (pg(db)) {
            Timestamp tz = (Timestamp) r1.get("at_tz");
            assertEquals(OffsetDateTime.parse("2022-11-22T10:34:00+08:00").toInstant(), tz.toInstant());
            assertEquals("2b0d6f0e-7c1a-4d7e-9d55-0f4cbb3a7c11", r1.get("uid").toString());
        }
        Map<String, Object> r2 = byId(db, t, 2);
        assertEquals(Boolean.TRUE, r2.get("ok"));
        assertEquals("\"plain\"", r2.get("doc").toString(), "a string is a JSON string in a JSON column");
        assertEquals(LocalDateTime.parse("2022-11-22T10:34:00.250"), local(r2.get("at")));
        assertNull(r2.get("qty"));
    }

    /**
     * The bulk load (LOAD DATA LOCAL INFILE / COPY) must store exactly what INSERT statements store and refuse exactly
     * the rows they refuse: the same hostile rows go to one table in bulk and to a twin with statements only.
     */
    @OnBothDatabases
    void theBulkLoadWritesAndRefusesExactlyWhatStatementsDo(String db) throws Exception {
        String columns = pg(db)
                ? " (id BIGINT PRIMARY KEY, t VARCHAR(40), n INT CHECK (n >= 0), d NUMERIC(10,2), f DOUBLE PRECISION, b BOOLEAN,"
                + " day DATE, at TIMESTAMP(3), j JSONB, tz TIMESTAMPTZ, u UUID, raw BYTEA, note VARCHAR(10) DEFAULT 'none')"
                : " (id BIGINT PRIMARY KEY, t VARCHAR(40), n INT CHECK (n >= 0), d DECIMAL(10,2), f DOUBLE, b BOOLEAN,"
                + " day DATE, at DATETIME(3), j JSON, y YEAR, note VARCHAR(10) DEFAULT 'none')";
        String bulkTable = unique("bulk");
        String plainTable = unique("plain");
        TestDatabases.execute(url(db), "CREATE TABLE " + bulkTable + columns, "CREATE TABLE " + plainTable + columns);
        List<String> texts = List.of("tab\there", "new\nline", "cr\rhere", "back\\slash", "\\N", "N", "", "\\.",
                "literal \\t and \\n", "ünïcödé ✓ 😀", "it's \"quoted\" `x`;", " spaced ", "\\");
        JdbcRowSink bulk = sink(db, JdbcWriteMode.INSERT, "Asia/Shanghai", false, false, true, Clock.systemUTC());
        JdbcRowSink plain = sink(db, JdbcWriteMode.INSERT, "Asia/Shanghai", false, false, false, Clock.systemUTC());
        Map<String, List<RowEvent>> batches = new LinkedHashMap<>();
        for (String table : List.of(bulkTable, plainTable)) {
            List<RowEvent> rows = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                List<Object> kv = new ArrayList<>(List.of("id", (long) i, "t", texts.get(i), "n", (long) i * 1000,
                        "d", new BigDecimal("-12.345").add(BigDecimal.valueOf(i)), "f", i == 0 ? 1.5e10 : 1.0 / (i + 3),
                        "b", i % 2 == 0, "day", "2022-11-2" + (i % 10), "at", 1_669_082_700_123L + i * 1000L,
                        "j", new JsonText("{\"k\":[" + i + ",\"a\\tb\"],\"s\":\"" + (i % 3 == 0 ? "\\\\" : "x") + "\"}")));
                if (pg(db)) {
                    kv.addAll(List.of("tz", "2022-11-22T10:34:0" + (i % 10) + "+05:30", "u", "2b0d6f0e-7c1a-4d7e-9d55-0f4cbb3a7c1" + (i % 10),
                            "raw", new byte[]{(byte) i, 9, 10, 92, (byte) 0xff}));
                } else {
                    kv.addAll(List.of("y", 2000L + i));
                }
                if (i % 4 == 3) kv.addAll(java.util.Arrays.asList("t", null, "d", null)); // later keys replace: nulls
                rows.add(rowFrom(table, table, kv.toArray()));
            }
            rows.add(rowFrom(table, table, "id", 100L, "b", null, "n", null));
            rows.add(rowFrom(table, table, "id", 1L, "t", "a duplicate key")); // refused by the database only
            rows.add(rowFrom(table, table, "id", 101L, "n", -1L));             // refused by the CHECK only
            batches.put(table, rows);
        }
        Outcome inBulk = write(bulk, batches.get(bulkTable));
        Outcome asStatements = write(plain, batches.get(plainTable));

        assertEquals(asStatements.result(), inBulk.result());
        assertEquals(texts.size() + 1, inBulk.result().written());
        assertEquals(2, inBulk.result().rejected());
        assertEquals(List.of(texts.size() + 1, texts.size() + 2), offsetsWithin(inBulk, batches.get(bulkTable)));
        assertEquals(offsetsWithin(asStatements, batches.get(plainTable)), offsetsWithin(inBulk, batches.get(bulkTable)));
        assertEquals(0, plain.bulkLoadedRows());
        assertEquals(contents(db, plainTable), contents(db, bulkTable));

        // a clean batch stays in bulk: nothing is redone as statements
        long before = bulk.bulkLoadedRows();
        List<RowEvent> clean = new ArrayList<>();
        List<RowEvent> twin = new ArrayList<>();
        for (int i = 200; i < 210; i++) {
            clean.add(rowFrom(bulkTable, bulkTable, "id", (long) i, "t", texts.get(i % texts.size())));
            twin.add(rowFrom(plainTable, plainTable, "id", (long) i, "t", texts.get(i % texts.size())));
        }
        assertEquals(10, write(bulk, clean).result().written());
        assertEquals(10, write(plain, twin).result().written());
        assertEquals(before + 10, bulk.bulkLoadedRows());
        assertEquals(contents(db, plainTable), contents(db, bulkTable));
    }

    @OnBothDatabases
    void aDestinationTheBulkLoadCannotTakeIsWrittenWithStatements(String db) throws Exception {
        String t = unique("base");
        String view = unique("view");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(10))",
                "CREATE VIEW " + view + " AS SELECT id, name FROM " + t);
        JdbcRowSink sink = sink(db);
        assertEquals(2, write(sink, List.of(row(view, "id", 1L, "name", "a"), row(view, "id", 2L, "name", "b"))).result().written());
        assertEquals(1, write(sink, List.of(row(view, "id", 3L, "name", "c"))).result().written());
        assertEquals(3, TestDatabases.count(url(db), t));
        // PostgreSQL refuses COPY into a view; the sink then writes with statements, and keeps doing so
        if (pg(db)) assertEquals(0, sink.bulkLoadedRows());
    }

    private static List<Integer> offsetsWithin(Outcome out, List<RowEvent> batch) {
        long first = batch.get(0).origin().offset();
        return out.reasonByOffset().keySet().stream().map(o -> (int) (o - first)).sorted().toList();
    }

    /** Every row as text, bytes as hex, in id order. */
    private static List<String> contents(String db, String table) {
        return select(db, "SELECT * FROM " + table + " ORDER BY id").stream()
                .map(r -> r.values().stream().map(v -> v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v)).toList().toString())
                .toList();
    }

    @OnBothDatabases
    void aRowWhosePredecessorNeverArrivedIsSkippedUntilIngestSendsBothAgain(String db) throws Exception {
        String t = unique("chain");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY)");
        JdbcRowSink sink = sink(db);
        // source offset 1's send failed after 2 and 3 were sent: writing them would mark offset 1 as done
        Outcome first = write(sink, List.of(at(t, 0, -1), at(t, 2, 1), at(t, 3, 2)));
        assertEquals(1, first.result().written());
        assertEquals(2, first.result().duplicates(), "skipped, counted with the duplicates");
        assertEquals(1, TestDatabases.count(url(db), t));
        // ingest re-reads from offset 1 in a new session (offset 4 went to the error topic)
        Outcome again = write(sink, List.of(at(t, 1, -1), at(t, 2, 1), at(t, 3, 2), at(t, 5, 3)));
        assertEquals(4, again.result().written());
        assertEquals(List.of(0L, 1L, 2L, 3L, 5L), select(db, "SELECT id FROM " + t + " ORDER BY id").stream()
                .map(r -> ((Number) r.get("id")).longValue()).toList());
    }

    @OnBothDatabases
    void interleavedSourcePartitionsAndTablesEachKeepTheirOwnProgress(String db) throws Exception {
        String t1 = unique("inter1");
        String t2 = unique("inter2");
        for (String t : List.of(t1, t2)) TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY)");
        JdbcRowSink sink = sink(db);
        Outcome first = write(sink, List.of(inPartition(t1, 0, 0), inPartition(t2, 1, 0), inPartition(t1, 0, 1)));
        assertEquals(3, first.result().written());
        // partition 0 is written through offset 1, partition 1 through 0; here runs of both alternate, over both tables
        List<RowEvent> batch = List.of(inPartition(t1, 0, 0), inPartition(t2, 1, 0), inPartition(t2, 1, 1), inPartition(t1, 0, 1),
                inPartition(t2, 0, 2), inPartition(t1, 0, 3), inPartition(t2, 1, 2), inPartition(t2, 1, 1));
        Outcome second = write(sink, batch);
        assertEquals(4, second.result().written(), second.toString());
        assertEquals(4, second.result().duplicates(), "3 written before, and partition 1's offset 1 again after its offset 2");
        assertEquals(List.of(0L, 1L, 3L), ids(db, t1));
        assertEquals(List.of(2L, 1000L, 1001L, 1002L), ids(db, t2));
        assertEquals(batch.size(), write(sink, batch).result().duplicates(), "the progress of both partitions was committed");
    }

    private static List<Long> ids(String db, String table) {
        return select(db, "SELECT id FROM " + table + " ORDER BY id").stream().map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    /** The row of source partition {@code partition} at {@code offset}, not chained; its id is partition * 1000 + offset. */
    private static RowEvent inPartition(String table, int partition, long offset) {
        return new RowEvent(new Origin("inter-src", partition, offset, 0, null, List.of()), Destination.table(table),
                Map.of("id", partition * 1000L + offset));
    }

    /** The row of source offset {@code offset}, published after the one at {@code after} (-1: first of a session). */
    private static RowEvent at(String table, long offset, long after) {
        return new RowEvent(new Origin("chain-src", 0, offset, 0, null, List.of()), Destination.table(table), Map.of("id", offset))
                .chainedAfter(after);
    }

    @OnBothDatabases
    void whatOnlyTheDatabaseRefusesIsFoundRowByRow(String db) throws Exception {
        String t = unique("refuse");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, code VARCHAR(10) UNIQUE,"
                + " qty INT CHECK (qty >= 0))");
        JdbcRowSink sink = sink(db);
        Outcome out = write(sink, List.of(row(t, "id", 1L, "code", "a", "qty", 1L), row(t, "id", 2L, "code", "b", "qty", -5L),
                row(t, "id", 3L, "code", "a", "qty", 3L), row(t, "id", 1L, "code", "z", "qty", 4L),
                row(t, "id", 5L, "code", "e", "qty", 5L)));
        assertEquals(2, out.result().written());
        assertEquals(List.of(1L, 2L, 3L), new ArrayList<>(new java.util.TreeSet<>(out.reasonByOffset().keySet())));
        out.reasonByOffset().values().forEach(r -> assertTrue(r.startsWith("table " + t + " refused the row: "), r));
        assertEquals("a", byId(db, t, 1).get("code"), "the first of two rows with one key wins");
        assertEquals(2, TestDatabases.count(url(db), t));
    }

    @OnBothDatabases
    void upsertUpdatesByPrimaryKeyAndARepeatedKeyInABatchActsAsIfWrittenInOrder(String db) throws Exception {
        String t = unique("upsert");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, score INT,"
                + " note VARCHAR(10) DEFAULT 'none')");
        JdbcRowSink sink = sink(db, JdbcWriteMode.UPSERT, "UTC", false, false, Clock.systemUTC());
        write(sink, List.of(row(t, "id", 1L, "name", "a", "score", 1L), row(t, "id", 2L, "name", "b", "score", 2L)));

        List<RowEvent> second = List.of(row(t, "id", 1L, "name", "a2"), row(t, "id", 1L, "name", "a3", "score", 5L),
                row(t, "id", 3L, "name", "c", "score", 3L), row(t, "id", 2L, "name", "b2", "score", null),
                row(t, "id", 3L, "name", "c2"));
        Outcome out = write(sink, second);
        assertEquals(5, out.result().written(), "every source row counts, merged or not");
        assertEquals(0, out.result().rejected());
        assertEquals(List.of("a3", 5, "none"), values(byId(db, t, 1)));
        assertEquals(java.util.Arrays.asList("b2", null, "none"), values(byId(db, t, 2)));
        assertEquals(List.of("c2", 3, "none"), values(byId(db, t, 3)), "a later partial row keeps the earlier columns");

        Outcome replay = write(sink, second);
        assertEquals(5, replay.result().duplicates());
        assertEquals(3, TestDatabases.count(url(db), t));

        String k = unique("keyonly");
        TestDatabases.execute(url(db), "CREATE TABLE " + k + " (a INT NOT NULL, b VARCHAR(5) NOT NULL, PRIMARY KEY (a, b))");
        write(sink, List.of(row(k, "a", 1L, "b", "x"), row(k, "a", 1L, "b", "x"), row(k, "a", 2L, "b", "x")));
        Outcome again = write(sink, List.of(row(k, "a", 1L, "b", "x")));
        assertEquals(0, again.result().rejected(), "a row of key columns only is not an error when present");
        assertEquals(2, TestDatabases.count(url(db), k));

        String nokey = unique("nokey");
        TestDatabases.execute(url(db), "CREATE TABLE " + nokey + " (a INT)");
        SinkException e = assertThrows(SinkException.class, () -> write(sink, List.of(row(nokey, "a", 1L))));
        assertFalse(e.retriable());
        assertTrue(e.getMessage().contains("has no primary key, which KWSYNC_JDBC_WRITE_MODE=upsert needs"), e.getMessage());
    }

    @OnBothDatabases
    void deleteEventsDeleteByPrimaryKeyInSourceOrderWithTheRowsAroundThem(String db) throws Exception {
        String t = unique("deletes");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(20))");
        JdbcRowSink sink = sink(db, JdbcWriteMode.UPSERT, "UTC", false, false, Clock.systemUTC());
        write(sink, List.of(row(t, "id", 1L, "name", "a"), row(t, "id", 2L, "name", "b"), row(t, "id", 3L, "name", "c")));

        List<RowEvent> batch = List.of(row(t, "id", 1L, "name", "a2"), delete(t, "id", 1L), row(t, "id", 1L, "name", "a3"),
                delete(t, "id", 2L), row(t, "id", 4L, "name", "d"), delete(t, "id", 4L), delete(t, "name", "no key"),
                delete(t, "id", 99L));
        Outcome out = write(sink, batch);
        assertEquals(1, out.result().rejected());
        assertTrue(out.reasonByOffset().values().iterator().next().contains("has no value for primary-key column id"),
                out.reasonByOffset().toString());
        assertEquals(List.of(1L, 3L), select(db, "SELECT id FROM " + t + " ORDER BY id").stream()
                .map(r -> ((Number) r.get("id")).longValue()).toList(), "deleted rows are gone; a key deleted then inserted is back");
        assertEquals("a3", byId(db, t, 1).get("name"));
        assertEquals(batch.size(), write(sink, batch).result().duplicates(), "a replayed batch deletes nothing twice");

        String nokey = unique("nokey_delete");
        TestDatabases.execute(url(db), "CREATE TABLE " + nokey + " (a INT)");
        Outcome refused = write(sink(db), List.of(row(nokey, "a", 1L), delete(nokey, "a", 1L)));
        assertEquals(1, refused.result().rejected());
        assertTrue(refused.reasonByOffset().values().iterator().next().contains("has no primary key, so a delete event cannot say"));
        assertEquals(1, TestDatabases.count(url(db), nokey), "the insert is written, the delete refused");
    }

    RowEvent delete(String table, Object... keyValues) {
        return row(table, keyValues).withOperation(io.kwsync.model.RowOperation.DELETE);
    }

    private static List<Object> values(Map<String, Object> row) {
        Object score = row.get("score") == null ? null : ((Number) row.get("score")).intValue();
        return java.util.Arrays.asList(row.get("name"), score, row.get("note"));
    }

    @OnBothDatabases
    void tablesAndColumnsAreCreatedFromJsonWhenAskedTo(String db) throws Exception {
        String t = unique("auto");
        JdbcRowSink sink = sink(db, JdbcWriteMode.INSERT, "UTC", true, true, Clock.systemUTC());
        Outcome out = write(sink, List.of(
                row(t, "id", 1L, "name", "a", "amount", new BigDecimal("1.5"), "ok", true, "tags", new JsonText("[\"x\"]"), "nothing", null),
                row(t, "id", 2L, "name", "b", "nothing", null)));
        assertEquals(2, out.result().written());
        Map<String, String> types = columnTypes(db, t);
        assertEquals(List.of("id", "name", "amount", "ok", "tags"), new ArrayList<>(types.keySet()), "null-only keys create nothing");
        assertEquals(pg(db) ? "int8" : "BIGINT", types.get("id"));
        assertEquals(pg(db) ? "text" : "TEXT", types.get("name"));
        assertEquals(pg(db) ? "numeric" : "DECIMAL", types.get("amount"));
        assertEquals(pg(db) ? "bool" : "BIT", types.get("ok"));
        assertEquals(pg(db) ? "jsonb" : "JSON", types.get("tags"));

        out = write(sink, List.of(row(t, "id", 3L, "nothing", 5L, "extra", "new", "when", "2024-01-01")));
        assertEquals(1, out.result().written());
        assertEquals(0, out.result().unknownKeys());
        Map<String, Object> r3 = byId(db, t, 3);
        assertEquals(5L, ((Number) r3.get("nothing")).longValue());
        assertEquals("new", r3.get("extra"));
        assertEquals("2024-01-01", r3.get("when"), "a column is typed by the first value: text stays text");
        assertEquals(0, new BigDecimal("1.5").compareTo((BigDecimal) byId(db, t, 1).get("amount")));
    }

    private static Map<String, String> columnTypes(String db, String table) throws SQLException {
        try (Connection c = TestDatabases.connect(url(db))) {
            TableSchema s = SchemaReader.read(c, new TableName(null, table), SqlDialect.forUrl(url(db)));
            assertNotNull(s, table);
            Map<String, String> types = new LinkedHashMap<>();
            s.columns().forEach(col -> types.put(col.name(), col.typeName()));
            return types;
        }
    }

    @OnBothDatabases
    void keysAndTableNamesThatLookLikeSqlAreOnlyData(String db) throws Exception {
        String t = unique("victim");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(100))",
                "INSERT INTO " + t + " (id, name) VALUES (100, 'untouched')");
        List<String> hostile = List.of("a; DROP TABLE " + t + " --", "x`y", "x\"y", "x'y", "z`); DELETE FROM " + t + "; --",
                "w\"); DELETE FROM " + t + "; --");
        Object[] kv = new Object[4 + hostile.size() * 2];
        kv[0] = "id";
        kv[1] = 1L;
        kv[2] = "name";
        kv[3] = "it's \"quoted\" `x`; DROP TABLE " + t;
        for (int i = 0; i < hostile.size(); i++) {
            kv[4 + 2 * i] = hostile.get(i);
            kv[5 + 2 * i] = "v" + i;
        }
        Outcome ignored = write(sink(db), List.of(row(t, kv)));
        assertEquals(1, ignored.result().written());
        assertEquals(hostile.size(), ignored.result().unknownKeys(), "unknown keys are ignored");
        assertEquals(2, TestDatabases.count(url(db), t));
        assertEquals("untouched", byId(db, t, 100).get("name"));
        assertEquals(kv[3], byId(db, t, 1).get("name"), "quotes in values are data");

        JdbcRowSink adding = sink(db, JdbcWriteMode.INSERT, "UTC", true, true, Clock.systemUTC());
        kv[1] = 2L;
        Outcome added = write(adding, List.of(row(t, kv), row(t, "id", 3L, "bad\u0001key", "v", "k".repeat(70), "v")));
        assertEquals(2, added.result().written());
        assertEquals(2, added.result().unknownKeys(), "keys that cannot be identifiers stay unknown");
        Map<String, String> types = columnTypes(db, t);
        for (String h : hostile) assertTrue(types.containsKey(h), "column created with its exact name: " + h + " in " + types.keySet());
        Map<String, Object> r2 = byId(db, t, 2);
        for (int i = 0; i < hostile.size(); i++) assertEquals("v" + i, r2.get(hostile.get(i)));
        assertEquals(4, TestDatabases.count(url(db), t));
        assertEquals("untouched", byId(db, t, 100).get("name"));

        String oddTable = "odd`\"; DROP TABLE " + t + "; --" + unique("x").substring(1);
        Outcome created = write(adding, List.of(row(oddTable, "id", 1L, "v", "a")));
        assertEquals(1, created.result().written());
        assertEquals(1, TestDatabases.count(url(db), SqlDialect.forUrl(url(db)).quote(oddTable)));
        assertEquals(4, TestDatabases.count(url(db), t));

        Outcome badName = write(adding, List.of(row("bad\ntable", "id", 1L)));
        assertEquals(1, badName.result().rejected());
        assertTrue(badName.reasonByOffset().values().iterator().next()
                .startsWith("destination table name \"bad\ntable\" contains a control character"));
    }

    @OnBothDatabases
    void qualifiedAndCaseFoldedTableNamesAreFound(String db) throws Exception {
        String name = unique("qual");
        String qualified;
        if (pg(db)) {
            String schema = unique("kw");
            TestDatabases.execute(url(db), "CREATE SCHEMA " + schema, "CREATE TABLE " + schema + "." + name + " (id INT PRIMARY KEY)");
            qualified = schema + "." + name;
        } else {
            TestDatabases.execute(url(db), "CREATE TABLE " + name + " (id INT PRIMARY KEY)");
            qualified = "kwsync." + name;
        }
        JdbcRowSink sink = sink(db, JdbcWriteMode.UPSERT, "UTC", false, false, Clock.systemUTC());
        assertEquals(1, write(sink, List.of(row(qualified, "id", 1L))).result().written());
        assertEquals(1, TestDatabases.count(url(db), qualified));

        String mixed = "Mixed" + unique("Case");
        TestDatabases.execute(url(db), "CREATE TABLE " + (pg(db) ? mixed : mixed.toLowerCase()) + " (id INT PRIMARY KEY)");
        assertEquals(1, write(sink, List.of(row(mixed, "id", 7L))).result().written(),
                "an unquoted PostgreSQL name is folded to lower case");
        assertEquals(1, TestDatabases.count(url(db), mixed.toLowerCase()));
    }

    @OnBothDatabases
    void schemaChangesAreNoticed(String db) throws Exception {
        String t = unique("evolve");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, score INT)");
        TestClock clock = new TestClock();
        JdbcRowSink sink = sink(db, JdbcWriteMode.INSERT, "UTC", false, false, clock);
        write(sink, List.of(row(t, "id", 1L, "score", 1L)));

        TestDatabases.execute(url(db), "ALTER TABLE " + t + " DROP COLUMN score");
        SinkException e = assertThrows(SinkException.class, () -> write(sink, List.of(row(t, "id", 2L, "score", 2L))));
        assertTrue(e.retriable(), "a write failing on a changed schema is retried...");
        nextOffset--;
        Outcome retried = write(sink, List.of(row(t, "id", 2L, "score", 2L)));
        assertEquals(1, retried.result().written(), "...with the schema read again");
        assertEquals(1, retried.result().unknownKeys());

        TestDatabases.execute(url(db), "ALTER TABLE " + t + " ADD COLUMN extra VARCHAR(10)");
        assertEquals(1, write(sink, List.of(row(t, "id", 3L, "extra", "early"))).result().unknownKeys(),
                "a schema read a moment ago is trusted");
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        Outcome later = write(sink, List.of(row(t, "id", 4L, "extra", "later")));
        assertEquals(0, later.result().unknownKeys(), "an older schema is read again when a key is unknown");
        assertEquals("later", byId(db, t, 4).get("extra"));
    }

    @OnBothDatabases
    void wideBatchesAreSplitBelowTheParameterLimit(String db) throws Exception {
        String t = unique("wide");
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY");
        for (int i = 0; i < 40; i++) ddl.append(", c").append(i).append(" INT");
        TestDatabases.execute(url(db), ddl.append(')').toString());
        List<RowEvent> rows = new ArrayList<>();
        for (int r = 0; r < 2500; r++) {
            Object[] kv = new Object[82];
            kv[0] = "id";
            kv[1] = (long) r;
            for (int i = 0; i < 40; i++) {
                kv[2 + 2 * i] = "c" + i;
                kv[3 + 2 * i] = (long) (r + i);
            }
            rows.add(row(t, kv));
        }
        assertEquals(2500, write(sink(db), rows).result().written());
        Map<String, Object> agg = select(db, "SELECT COUNT(*) AS n, SUM(c39) AS s FROM " + t).get(0);
        assertEquals(2500, ((Number) agg.get("n")).intValue());
        assertEquals(2500L * 2499 / 2 + 2500L * 39, ((Number) agg.get("s")).longValue());
    }
}
