package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.model.RowOperation;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.jdbc.JdbcConfig.JdbcWriteMode;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterEach;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.sink.jdbc.JdbcRowSinkTest.select;
import static io.kwsync.sink.jdbc.JdbcRowSinkTest.unique;
import static io.kwsync.sink.jdbc.JdbcRowSinkTest.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Source records that change several rows (a Canal message of several rows) on the real MariaDB and PostgreSQL:
 * their rows are written in order, a record is taken or skipped whole (a replay, a record repeated right after
 * itself, an unchained record), and progress moves one offset per record.
 */
class SeveralRowsPerRecordTest {

    private final String connector = TestKafka.unique("several-rows");
    private final List<JdbcRowSink> sinks = new ArrayList<>();

    @AfterEach
    void close() {
        sinks.forEach(JdbcRowSink::close);
    }

    private JdbcRowSink sink(String db) throws Exception {
        SqlDialect dialect = SqlDialect.forUrl(url(db));
        AgroalDataSource ds = JdbcDataSources.open(url(db), TestDatabases.user(), TestDatabases.password(), 2, dialect);
        JdbcRowSink sink = new JdbcRowSink(ds, dialect, new JdbcRowSink.Options(connector, "kwsync_offsets",
                JdbcWriteMode.UPSERT, ZoneId.of("UTC"), false, false, true), Clock.systemUTC());
        sink.prepare();
        sinks.add(sink);
        return sink;
    }

    /** The rows of one source record as the sink reads them back from the rows topic. */
    private static List<RowEvent> record(String table, long offset, long chainedAfter, RowOperation op, Object... idName) {
        Origin origin = new Origin("canal-src", 0, offset, 1_700_000_000_000L, null, List.of());
        List<RowEvent> rows = new ArrayList<>();
        for (int i = 0; i < idName.length; i += 2) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", idName[i]);
            if (idName[i + 1] != null) c.put("name", idName[i + 1]);
            rows.add(new RowEvent(origin, Destination.table(table), c, null, -1, op));
        }
        return RowEventCodec.decodeAll(RowEventCodec.encode(rows, chainedAfter));
    }

    @SafeVarargs
    private static List<RowEvent> batch(List<RowEvent>... records) {
        List<RowEvent> all = new ArrayList<>();
        for (List<RowEvent> r : records) all.addAll(r);
        return all;
    }

    private static Map<Long, String> table(String db, String t) {
        Map<Long, String> out = new java.util.TreeMap<>();
        for (Map<String, Object> r : select(db, "SELECT id, name FROM " + t)) {
            out.put(((Number) r.get("id")).longValue(), (String) r.get("name"));
        }
        return out;
    }

    private long nextOffset(String db) {
        return ((Number) select(db, "SELECT next_offset FROM kwsync_offsets WHERE connector_name = '" + connector
                + "' AND source_topic = 'canal-src'").get(0).get("next_offset")).longValue();
    }

    @JdbcRowSinkTest.OnBothDatabases
    void theRowsOfARecordAreWrittenInOrderAndTakenOrSkippedTogether(String db) throws Exception {
        String t = unique("several");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(20))");
        JdbcRowSink sink = sink(db);
        List<RowEvent> insert = record(t, 0, -1, RowOperation.UPSERT, 1L, "a", 2L, "b", 3L, "c");
        List<RowEvent> update = record(t, 1, 0, RowOperation.UPSERT, 1L, "a2", 2L, "b2");
        List<RowEvent> delete = record(t, 2, 1, RowOperation.DELETE, 2L, null, 3L, null);
        List<Rejected> rejected = new ArrayList<>();

        WriteResult first = sink.write(batch(insert, update, delete), rejected::addAll);
        assertEquals(Map.of(1L, "a2"), table(db, t), "inserted, updated and deleted in the order of the rows");
        assertEquals(7, first.written());
        assertEquals(3, nextOffset(db), "one offset per record");

        // ingest-service published them again, the same record twice in a row, then new ones; one is not chained
        List<RowEvent> more = record(t, 3, 2, RowOperation.UPSERT, 4L, "d", 5L, "e");
        List<RowEvent> unchained = record(t, 5, 4, RowOperation.UPSERT, 6L, "f", 7L, "g");
        WriteResult second = sink.write(batch(update, delete, more, more, unchained), rejected::addAll);
        assertEquals(Map.of(1L, "a2", 4L, "d", 5L, "e"), table(db, t));
        assertEquals(2, second.written());
        assertEquals(2 + 2 + 2 + 2, second.duplicates(), "the replayed records, the repeated one, and the unchained one, row by row");
        assertEquals(4, nextOffset(db));
        assertTrue(rejected.isEmpty(), rejected.toString());
    }

    @JdbcRowSinkTest.OnBothDatabases
    void aRowTheTableRefusesGoesAloneAndTheOtherRowsOfItsRecordAreWritten(String db) throws Exception {
        String t = unique("several_bad");
        TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(3))");
        JdbcRowSink sink = sink(db);
        List<Rejected> rejected = new ArrayList<>();
        sink.write(record(t, 0, -1, RowOperation.UPSERT, 1L, "a", 2L, "too long", 3L, "c"), rejected::addAll);
        assertEquals(Map.of(1L, "a", 3L, "c"), table(db, t));
        assertEquals(1, rejected.size());
        assertEquals(1, rejected.get(0).row().rowIndex(), "the refused row knows which of its record's rows it is");
        assertEquals(3, rejected.get(0).row().rowCount());
        assertEquals(1, nextOffset(db));
    }
}
