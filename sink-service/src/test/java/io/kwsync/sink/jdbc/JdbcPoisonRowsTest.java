package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.jdbc.JdbcConfig.JdbcWriteMode;
import io.kwsync.sink.jdbc.JdbcRowSinkTest.OnBothDatabases;
import io.kwsync.sink.jdbc.JdbcRowSinkTest.Outcome;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterEach;

import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.kwsync.sink.jdbc.JdbcRowSinkTest.pg;
import static io.kwsync.sink.jdbc.JdbcRowSinkTest.select;
import static io.kwsync.sink.jdbc.JdbcRowSinkTest.unique;
import static io.kwsync.sink.jdbc.JdbcRowSinkTest.url;
import static io.kwsync.sink.jdbc.JdbcRowSinkTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One bad row costs that row only: rows the database refuses for their size or by a trigger, dates a column cannot
 * hold, messages auto-create cannot make a table of, and a missing table, on the real MariaDB and PostgreSQL. Each
 * bad row is refused alone with a reason, the rest of its batch is written, and the sink goes on as before.
 */
class JdbcPoisonRowsTest {

    private final List<JdbcRowSink> sinks = new ArrayList<>();
    private final String connector = TestKafka.unique("poison-test");
    private long nextOffset;

    @AfterEach
    void closeSinks() {
        sinks.forEach(JdbcRowSink::close);
    }

    private JdbcRowSink sink(String db, boolean autoCreate, boolean autoAdd, int maxColumns) throws SQLException {
        SqlDialect dialect = SqlDialect.forUrl(url(db));
        AgroalDataSource ds = JdbcDataSources.open(url(db), TestDatabases.user(), TestDatabases.password(), 2, dialect);
        JdbcRowSink sink = new JdbcRowSink(ds, dialect, new JdbcRowSink.Options(connector, "kwsync_offsets", JdbcWriteMode.INSERT,
                ZoneId.of("UTC"), autoCreate, autoAdd, true, maxColumns), Clock.systemUTC());
        sink.prepare();
        sinks.add(sink);
        return sink;
    }

    private JdbcRowSink sink(String db) throws SQLException {
        return sink(db, false, false, JdbcConfig.DEFAULT_AUTO_COLUMNS_MAX);
    }

    private RowEvent row(String table, Map<String, Object> columns) {
        long offset = nextOffset++;
        return new RowEvent(new Origin("poison-src", 0, offset, 1_700_000_000_000L, ("k" + offset).getBytes(), List.of()),
                Destination.table(table), columns);
    }

    private RowEvent row(String table, Object... keyValues) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) c.put((String) keyValues[i], keyValues[i + 1]);
        return row(table, c);
    }

    private static List<Long> ids(String db, String table) {
        return select(db, "SELECT id FROM " + table + " ORDER BY id").stream().map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    /**
     * PostgreSQL: a row wider than a page ("row is too big", SQLSTATE 54000); MariaDB: a 20 MB value for a LONGBLOB,
     * over max_allowed_packet, which only an INSERT can carry. Both used to fail the whole batch until the give-up.
     */
    @OnBothDatabases
    void aRowTooLargeForTheDatabaseIsRefusedAloneAndTheRestOfItsBatchIsWritten(String db) throws Exception {
        String t = unique("toolarge");
        Map<String, Object> big = new LinkedHashMap<>();
        big.put("id", 2L);
        String expected;
        if (pg(db)) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY");
            for (int i = 0; i < 1100; i++) ddl.append(", w").append(i).append(" BIGINT");
            TestDatabases.execute(url(db), ddl.append(')').toString());
            for (int i = 0; i < 1100; i++) big.put("w" + i, (long) i);
            expected = "row is too big";
        } else {
            TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, b LONGBLOB)");
            byte[] bytes = new byte[20 << 20];
            new Random(7).nextBytes(bytes);
            big.put("b", Base64.getEncoder().encodeToString(bytes));
            expected = "max_allowed_packet";
        }
        JdbcRowSink sink = sink(db);
        Outcome out = write(sink, List.of(row(t, "id", 1L), row(t, big), row(t, "id", 3L)));

        assertEquals(2, out.result().written());
        assertEquals(1, out.result().rejected());
        String why = out.reasonByOffset().get(nextOffset - 2);
        assertTrue(why.startsWith("table " + t + " refused the row: ") && why.contains(expected), why);
        assertEquals(List.of(1L, 3L), ids(db, t));
        long bulk = sink.bulkLoadedRows();
        assertEquals(1, write(sink, List.of(row(t, "id", 4L))).result().written(), "the next batch goes in as usual...");
        assertEquals(bulk + 1, sink.bulkLoadedRows(), "...and in bulk");
    }

    /**
     * A row a trigger refuses fails the bulk load (COPY, LOAD DATA): that batch goes as statements, which refuse the
     * row alone, and the next batch is bulk-loaded again (it used to switch bulk loading off for the process).
     */
    @OnBothDatabases
    void aRowThatFailsTheBulkLoadCostsOnlyThatBatchItsBulkLoad(String db) throws Exception {
        String t = unique("trigger");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, v VARCHAR(20))");
        if (pg(db)) {
            TestDatabases.execute(url(db), "CREATE FUNCTION " + t + "_check() RETURNS trigger AS $$ BEGIN IF NEW.v = 'reject-me'"
                            + " THEN RAISE EXCEPTION 'refused by the trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER " + t + "_check BEFORE INSERT ON " + t + " FOR EACH ROW EXECUTE FUNCTION " + t + "_check()");
        } else {
            TestDatabases.execute(url(db), "CREATE TRIGGER " + t + "_check BEFORE INSERT ON " + t + " FOR EACH ROW BEGIN"
                    + " IF NEW.v = 'reject-me' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the trigger'; END IF; END");
        }
        JdbcRowSink sink = sink(db);
        Outcome out = write(sink, List.of(row(t, "id", 1L, "v", "a"), row(t, "id", 2L, "v", "reject-me"), row(t, "id", 3L, "v", "c")));
        assertEquals(2, out.result().written());
        String why = out.reasonByOffset().get(nextOffset - 2);
        assertTrue(why != null && why.contains("refused by the trigger"), String.valueOf(out.reasonByOffset()));

        long before = sink.bulkLoadedRows();
        List<RowEvent> clean = new ArrayList<>();
        for (long id = 10; id < 20; id++) clean.add(row(t, "id", id, "v", "ok"));
        assertEquals(10, write(sink, clean).result().written());
        assertEquals(before + 10, sink.bulkLoadedRows(), "the next batch is bulk-loaded again");
        assertEquals(12, TestDatabases.count(url(db), t));
    }

    /**
     * -5000-01-01 and epoch milliseconds -99999999999999999 are before 4713 BC: PostgreSQL's driver used to send them
     * as -infinity, which the server stored without a word; MariaDB refused them with its own message.
     */
    @OnBothDatabases
    void datesOutsideWhatTheColumnHoldsAreRefusedWithTheReason(String db) throws Exception {
        String t = unique("dates");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, d DATE, t " + (pg(db) ? "TIMESTAMP(3)" : "DATETIME(3)") + ")");
        JdbcRowSink sink = sink(db);
        Outcome out = write(sink, List.of(row(t, "id", 1L, "d", "2024-02-29", "t", 0L), row(t, "id", 2L, "d", "-5000-01-01"),
                row(t, "id", 3L, "t", -99_999_999_999_999_999L), row(t, "id", 4L, "d", pg(db) ? "+5874898-01-01" : "+10000-01-01"), row(t, "id", 5L, "d", "0001-01-01")));

        assertEquals(2, out.result().written());
        assertEquals(3, out.result().rejected());
        long first = nextOffset - 5;
        String range = pg(db) ? "-4712-01-01 (4713 BC) to " : "0000-01-01 (1 BC) to 9999-12-31";
        for (long o = first + 1; o <= first + 3; o++) {
            String why = out.reasonByOffset().get(o);
            assertTrue(why.contains("out of range: the column holds " + range), why);
        }
        assertTrue(out.reasonByOffset().get(first + 1).contains("column d (") && out.reasonByOffset().get(first + 1).contains("\"-5000-01-01\""));
        assertEquals(List.of(1L, 5L), ids(db, t), "nothing altered, nothing stored for the refused rows");
        assertEquals("0001-01-01", String.valueOf(select(db, "SELECT CAST(d AS CHAR(10)) AS d FROM " + t + " WHERE id = 5").get(0).get("d")));
    }

    /**
     * Auto-create used to stop the sink for good on a first message it could not make a table of: keys {@code dup}
     * and {@code DUP} (one column to MariaDB), or 1,700 keys (PostgreSQL allows 1,600 columns, MariaDB 1,017). Now
     * the table is made from what can be made and the message that needs more goes to the error topic.
     */
    @OnBothDatabases
    void autoCreateMakesTheTableFromWhatItCanAndRefusesOnlyTheMessageThatNeedsMore(String db) throws Exception {
        JdbcRowSink sink = sink(db, true, false, JdbcConfig.DEFAULT_AUTO_COLUMNS_MAX);
        String cased = unique("cased");
        Outcome out = write(sink, List.of(row(cased, "id", 1L, "dup", "a", "DUP", "b"), row(cased, "id", 2L, "dup", "c")));
        if (pg(db)) {
            assertEquals(2, out.result().written(), "PostgreSQL has both columns");
        } else {
            assertEquals(1, out.result().written());
            String why = out.reasonByOffset().get(nextOffset - 2);
            assertTrue(why.contains("keys map to column dup more than once"), why);
        }
        assertEquals(pg(db) ? List.of(1L, 2L) : List.of(2L), ids(db, cased));

        String wide = unique("wide");
        Map<String, Object> many = new LinkedHashMap<>();
        many.put("id", 1L);
        for (int i = 0; i < 1700; i++) many.put("k" + i, (long) i);
        out = write(sink, List.of(row(wide, many), row(wide, "id", 2L, "k0", 7L)));
        assertEquals(1, out.result().written());
        String why = out.reasonByOffset().get(nextOffset - 2);
        assertTrue(why.contains("key k199 has no column: table ") && why.contains("has the 200 columns KWSYNC_JDBC_AUTO_COLUMNS_MAX"), why);
        assertEquals(List.of(2L), ids(db, wide));
        assertEquals(200, select(db, "SELECT * FROM " + wide).get(0).size(), "the first 200 keys became columns");
        assertEquals(1, write(sink, List.of(row(wide, "id", 3L, "k5", 1L))).result().written(), "and the sink goes on");
    }

    /** Auto-add stops at KWSYNC_JDBC_AUTO_COLUMNS_MAX: a message needing more columns is refused, not quietly cut. */
    @OnBothDatabases
    void autoAddStopsAtTheColumnBudgetAndRefusesTheRowsThatNeedMore(String db) throws Exception {
        String t = unique("budget");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, a BIGINT)");
        JdbcRowSink sink = sink(db, false, true, 4);
        Outcome out = write(sink, List.of(row(t, "id", 1L, "b", 1L, "c", 2L), row(t, "id", 2L, "d", 3L), row(t, "id", 3L, "b", 4L)));
        assertEquals(2, out.result().written());
        String why = out.reasonByOffset().get(nextOffset - 2);
        assertTrue(why.contains("key d has no column: table ") && why.contains("has the 4 columns KWSYNC_JDBC_AUTO_COLUMNS_MAX"), why);
        assertEquals(List.of(1L, 3L), ids(db, t));
        assertEquals(4, select(db, "SELECT * FROM " + t + " WHERE id = 1").get(0).size());
        assertEquals(1, write(sink, List.of(row(t, "id", 4L, "d", null))).result().written(), "a null for it is no value to lose");
    }

    /** A missing table makes the batch wait, saying which table and what to do, and it goes in once the table exists. */
    @OnBothDatabases
    void aMissingTableMakesTheBatchWaitUntilTheTableExists(String db) throws Exception {
        String t = unique("later");
        JdbcRowSink sink = sink(db);
        List<RowEvent> batch = List.of(row(t, "id", 1L), row(t, "id", 2L));
        SinkException e = assertThrows(SinkException.class, () -> write(sink, batch));
        assertTrue(e.waiting() && e.retriable(), "waits for an operator, without a deadline");
        assertTrue(e.getMessage().startsWith("destination table " + t + " does not exist in database "), e.getMessage());
        assertTrue(e.getMessage().contains("Create it (see KWSYNC_DESTINATION_TABLE), or set KWSYNC_JDBC_AUTO_CREATE_TABLE=true"), e.getMessage());
        assertNull(e.getCause());

        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY)");
        assertEquals(2, write(sink, batch).result().written());
        assertFalse(ids(db, t).isEmpty());
    }
}
