package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.job.JobItem;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC job store against the real MariaDB: staging, the atomic replace, redelivery, abort and failures. */
class JdbcJobStoreTest {

    static final String DB = TestDatabases.mariadbUrl();
    static AgroalDataSource ds;
    static JdbcJobStore store;
    final List<Rejected> rejected = new ArrayList<>();

    @BeforeAll
    static void open() {
        SqlDialect dialect = SqlDialect.forUrl(DB);
        ds = JdbcSinks.dataSource(DB, TestDatabases.user(), TestDatabases.password(), 2, dialect);
        store = new JdbcJobStore(ds, dialect, "job-store-test", Clock.fixed(Instant.parse("2022-11-22T02:05:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    static String table() {
        String t = TestKafka.unique("jobstore").replace('-', '_');
        TestDatabases.execute(DB, "CREATE TABLE " + t + " (id BIGINT NOT NULL, name VARCHAR(10) NOT NULL, "
                + "note VARCHAR(10) DEFAULT 'none', seq BIGINT AUTO_INCREMENT PRIMARY KEY, ds VARCHAR(16) NOT NULL)");
        return t;
    }

    static Destination part(String table, String ds) {
        return new Destination(table, Map.of("ds", ds));
    }

    static JobItem.Row row(String run, String table, String ds, int rowsPartition, long offset, long id) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("name", "n" + id);
        c.put("ds", "overridden");
        return new JobItem.Row(rowsPartition, offset, new RowEvent(new Origin("src", rowsPartition, offset, 0, null, List.of()),
                part(table, ds), c, run));
    }

    static JobItem.Marker end(String run, int rowsPartitions, int rowsPartition, long offset, long rows, Destination... replaces) {
        return new JobItem.Marker(rowsPartition, offset, new JobMarker(JobMarker.Kind.END, run, List.of(replaces),
                rowsPartitions, rowsPartition, rows));
    }

    static long count(String table, String where) {
        return ((Number) TestDatabases.query(DB, "SELECT COUNT(*) AS n FROM " + table + " WHERE " + where).get(0).get("n")).longValue();
    }

    List<LoadResult> apply(JobItem... items) throws Exception {
        return store.apply(List.of(items), rejected::addAll);
    }

    @Test
    void aRunBecomesVisibleOnlyWithItsLastMarkerAndReplacesThePartition() throws Exception {
        String t = table();
        TestDatabases.execute(DB, "INSERT INTO " + t + " (id, name, ds) VALUES (1, 'old', '2022112210'), (2, 'old', '2022112210'), "
                + "(3, 'keep', '2022112209')");
        String run = TestKafka.unique("run");
        Destination p10 = part(t, "2022112210");
        assertEquals(List.of(), apply(row(run, t, "2022112210", 0, 0, 10), row(run, t, "2022112210", 0, 1, 11),
                row(run, t, "2022112210", 1, 0, 12), end(run, 2, 0, 2, 2, p10)));
        assertEquals(2, count(t, "ds = '2022112210' AND name = 'old'"), "nothing visible before every marker arrived");

        List<LoadResult> done = apply(end(run, 2, 1, 1, 1, p10));
        assertEquals(1, done.size());
        LoadResult r = done.get(0);
        assertEquals(LoadResult.State.COMMITTED, r.state());
        assertEquals(Map.of("ds=2022112210", 3L), r.written());
        assertEquals(3, count(t, "ds = '2022112210'"));
        assertEquals(0, count(t, "name = 'old'"), "the previous rows of the partition are gone");
        assertEquals(1, count(t, "ds = '2022112209'"), "other partitions are untouched");
        assertEquals(3, count(t, "ds = '2022112210' AND note = 'none'"), "defaults of unfilled columns apply");
        assertEquals(0, count(t, "ds = 'overridden'"), "the partition spec wins over a message key of the same name");
        assertEquals(0, TestDatabases.query(DB, "SHOW TABLES LIKE '" + JdbcJobStore.stageTable(run) + "'").size(), "staging dropped");

        // the same records delivered again (a restart before the consumer commit) change nothing and repeat the result
        List<LoadResult> again = apply(row(run, t, "2022112210", 1, 0, 12), end(run, 2, 1, 1, 1, p10));
        assertEquals(List.of(r), again);
        assertEquals(3, count(t, "ds = '2022112210'"));

        // a rerun of the same window replaces, never adds
        String rerun = TestKafka.unique("run");
        assertEquals(LoadResult.State.COMMITTED, apply(row(rerun, t, "2022112210", 0, 5, 20), end(rerun, 2, 0, 6, 1, p10),
                end(rerun, 2, 1, 9, 0, p10)).get(0).state());
        assertEquals(1, count(t, "ds = '2022112210'"));
        assertEquals(1, count(t, "ds = '2022112209'"));
    }

    @Test
    void redeliveredRowsAreStagedOnce() throws Exception {
        String t = table();
        String run = TestKafka.unique("run");
        apply(row(run, t, "d1", 0, 0, 1), row(run, t, "d1", 0, 1, 2));
        apply(row(run, t, "d1", 0, 0, 1), row(run, t, "d1", 0, 1, 2), row(run, t, "d1", 0, 2, 3));
        LoadResult r = apply(end(run, 1, 0, 3, 3, part(t, "d1"))).get(0);
        assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
        assertEquals(3, count(t, "ds = 'd1'"));
    }

    @Test
    void refusedRowsGoToTheErrorHandlerAndAreCountedAgainstTheMarker() throws Exception {
        String t = table();
        String run = TestKafka.unique("run");
        JobItem.Row tooLong = row(run, t, "d1", 0, 1, 2);
        Map<String, Object> c = new LinkedHashMap<>(tooLong.row().columns());
        c.put("name", "far-too-long-for-ten");
        tooLong = new JobItem.Row(0, 1, new RowEvent(tooLong.row().origin(), tooLong.row().destination(), c, run));
        LoadResult r = apply(row(run, t, "d1", 0, 0, 1), tooLong, row(run, t, "d1", 0, 2, 3),
                end(run, 1, 0, 3, 3, part(t, "d1"))).get(0);
        assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
        assertEquals(1, r.rejected());
        assertEquals(Map.of("ds=d1", 2L), r.written());
        assertEquals(1, rejected.size());
        assertTrue(rejected.get(0).reason().getMessage().contains("refused"), rejected.get(0).reason().getMessage());
        assertEquals(2, count(t, "ds = 'd1'"));
    }

    @Test
    void aRunCanReplaceSeveralPartitionsAtOnceIncludingEmptyOnes() throws Exception {
        String t = table();
        TestDatabases.execute(DB, "INSERT INTO " + t + " (id, name, ds) VALUES (1, 'old', 'late'), (2, 'old', 'main')");
        String run = TestKafka.unique("run");
        LoadResult r = apply(row(run, t, "main", 0, 0, 5), row(run, t, "main", 0, 1, 6),
                end(run, 1, 0, 2, 2, part(t, "main"), part(t, "late"))).get(0);
        assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
        assertEquals(Map.of("ds=main", 2L, "ds=late", 0L), r.written());
        assertEquals(0, count(t, "ds = 'late'"), "a replaced partition without rows is emptied");
        assertEquals(2, count(t, "ds = 'main'"));
    }

    @Test
    void anAbortedRunLeavesTheDestinationAsItWasAndIgnoresLaterItems() throws Exception {
        String t = table();
        TestDatabases.execute(DB, "INSERT INTO " + t + " (id, name, ds) VALUES (1, 'old', 'd1')");
        String run = TestKafka.unique("run");
        apply(row(run, t, "d1", 0, 0, 5));
        List<LoadResult> aborted = apply(new JobItem.Marker(1, 0, new JobMarker(JobMarker.Kind.ABORT, run, List.of(), 2, 1, 0)));
        assertEquals(LoadResult.State.ABORTED, aborted.get(0).state());
        assertEquals(aborted, apply(row(run, t, "d1", 0, 1, 6), end(run, 2, 0, 2, 2, part(t, "d1"))),
                "a decided run is not decided again; a later END repeats the decision");
        assertEquals(1, count(t, "name = 'old'"));
        assertEquals(0, TestDatabases.query(DB, "SHOW TABLES LIKE '" + JdbcJobStore.stageTable(run) + "'").size());
    }

    @Test
    void problemsOfOneRunFailThatRunOnly() throws Exception {
        String t = table();
        String missingTable = "no_such_table_" + TestKafka.unique("x").replace('-', '_');
        String bad = TestKafka.unique("run");
        LoadResult noTable = apply(row(bad, missingTable, "d1", 0, 0, 1)).get(0);
        assertEquals(LoadResult.State.FAILED, noTable.state());
        assertTrue(noTable.reason().contains(missingTable), noTable.reason());

        String noColumn = TestKafka.unique("run");
        Destination wrong = new Destination(t, Map.of("dt", "x"));
        LoadResult r = apply(new JobItem.Marker(0, 0, new JobMarker(JobMarker.Kind.END, noColumn, List.of(wrong), 1, 0, 0))).get(0);
        assertEquals(LoadResult.State.FAILED, r.state());
        assertTrue(r.reason().contains("dt"), r.reason());

        String mismatch = TestKafka.unique("run");
        LoadResult m = apply(row(mismatch, t, "d1", 0, 0, 1), end(mismatch, 1, 0, 1, 2, part(t, "d1"))).get(0);
        assertEquals(LoadResult.State.FAILED, m.state());
        assertTrue(m.reason().contains("announced 2 rows but 1 arrived"), m.reason());
        assertEquals(0, count(t, "1=1"), "a failed run changes nothing");

        String good = TestKafka.unique("run");
        assertEquals(LoadResult.State.COMMITTED, apply(row(good, t, "d1", 0, 0, 1), end(good, 1, 0, 1, 1, part(t, "d1"))).get(0).state());
        assertNull(apply(row(good, t, "d1", 0, 0, 1)).stream().findAny().orElse(null));
    }
}
