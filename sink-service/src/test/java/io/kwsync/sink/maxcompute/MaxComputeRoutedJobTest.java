package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.ReplyFault;
import io.kwsync.emulator.maxcompute.TunnelCall;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.job.JobItem;
import io.kwsync.sink.job.JobRuns;
import io.kwsync.sink.maxcompute.MaxComputeRunStore.MaxComputeRun;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routed window-job runs into MaxCompute (rows naming their own tables, one run replacing its partition in each)
 * against the emulator (the real SDK over HTTP) and the real broker for the run state: three tables in one run, a
 * rerun replacing each, a session lost before the commits (no table replaced), a restart between two tables' commits
 * (the rest finished), and a commit refused for good after one table was replaced (the result names both kinds).
 * Also: a run of one table recorded before sessions were keyed by table (by spec alone) still commits.
 */
class MaxComputeRoutedJobTest {

    static final String PROJECT = "kwsync_routed_jobs";
    static final String TEMPLATE = "${value.kind}";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;
    final List<Rejected> rejected = new ArrayList<>();

    static JobRuns<MaxComputeRun> store(String progressTopic, Duration callTimeout) {
        CommitLog log = new CommitLog(Map.of("bootstrap.servers", TestKafka.bootstrap()), progressTopic, true);
        return new JobRuns<>(new MaxComputeRunStore(log, PROJECT, null), Sinks.staging(mc, PROJECT, callTimeout),
                Clock.fixed(Instant.parse("2022-11-22T02:05:00Z"), ZoneOffset.UTC));
    }

    /** Three tables partitioned by ds, named in sorted order a, b, c (their commit order). */
    static List<String> tables() {
        String base = TestKafka.unique("routed").replace('-', '_');
        List<String> names = List.of(base + "_a", base + "_b", base + "_c");
        for (String t : names) mc.execute(PROJECT, "CREATE TABLE " + t + " (id BIGINT, name STRING) PARTITIONED BY (ds STRING)");
        return names;
    }

    static JobItem.Row row(String run, String table, int rowsPartition, long offset, long id) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("name", "n" + id);
        return new JobItem.Row(rowsPartition, offset, new RowEvent(new Origin("src", rowsPartition, offset, 0, null, List.of()),
                new Destination(table, Map.of("ds", "d1")), c, run));
    }

    /** A routed END marker: the template as table, the partition for every table. */
    static JobItem.Marker end(String run, int rowsPartitions, int rowsPartition, long offset, long rows) {
        return new JobItem.Marker(rowsPartition, offset, new JobMarker(JobMarker.Kind.END, run,
                List.of(new Destination(TEMPLATE, Map.of("ds", "d1"))), rowsPartitions, rowsPartition, rows, false, true));
    }

    /**
     * A run over two rows partitions: {@code perTable[i]} rows for table i, ids from {@code firstId}, spread over both
     * rows partitions; the END markers last.
     */
    static List<JobItem> run(String run, List<String> tables, long firstId, int... perTable) {
        List<JobItem> items = new ArrayList<>();
        long[] offsets = new long[2];
        long id = firstId;
        for (int t = 0; t < tables.size(); t++) {
            for (int i = 0; i < perTable[t]; i++) {
                int rp = (int) (id % 2);
                items.add(row(run, tables.get(t), rp, offsets[rp]++, id++));
            }
        }
        long rows0 = offsets[0], rows1 = offsets[1];
        items.add(end(run, 2, 0, offsets[0], rows0));
        items.add(end(run, 2, 1, offsets[1], rows1));
        return items;
    }

    static int count(String table) {
        return mc.rows(PROJECT, table, "ds=d1").size();
    }

    static List<Object> ids(String table) {
        return mc.rows(PROJECT, table, "ds=d1").stream().map(r -> r.get("id")).sorted().collect(Collectors.toList());
    }

    LoadResult only(List<LoadResult> results) {
        assertEquals(1, results.size(), String.valueOf(results));
        return results.get(0);
    }

    @Test
    void oneRunReplacesThePartitionOfEachOfThreeTablesAndARerunReplacesThemAgain() throws Exception {
        List<String> t = tables();
        try (JobRuns<MaxComputeRun> store = store(TestKafka.unique("progress"), Duration.ofSeconds(30))) {
            List<JobItem> first = run(TestKafka.unique("run"), t, 1, 3, 5, 2);
            // the rows alone stage; nothing is visible before the END markers
            assertEquals(List.of(), store.apply(first.subList(0, first.size() - 2), rejected::addAll));
            assertEquals(0, count(t.get(0)) + count(t.get(1)) + count(t.get(2)));
            LoadResult r = only(store.apply(first.subList(first.size() - 2, first.size()), rejected::addAll));
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(TEMPLATE, r.table());
            assertEquals(Map.of(t.get(0) + "/ds=d1", 3L, t.get(1) + "/ds=d1", 5L, t.get(2) + "/ds=d1", 2L), r.written());
            assertEquals(List.of(3, 5, 2), List.of(count(t.get(0)), count(t.get(1)), count(t.get(2))));

            LoadResult again = only(store.apply(run(TestKafka.unique("run"), t, 100, 1, 2, 4), rejected::addAll));
            assertEquals(LoadResult.State.COMMITTED, again.state(), String.valueOf(again.reason()));
            assertEquals(List.of(100L), ids(t.get(0)), "each table's partition is replaced, never added to");
            assertEquals(List.of(101L, 102L), ids(t.get(1)));
            assertEquals(List.of(103L, 104L, 105L, 106L), ids(t.get(2)));
            assertTrue(rejected.isEmpty(), String.valueOf(rejected));
        }
    }

    @Test
    void aSessionLostBeforeTheCommitsFailsTheRunWithNoTableReplaced() throws Exception {
        List<String> t = tables();
        try (JobRuns<MaxComputeRun> store = store(TestKafka.unique("progress"), Duration.ofSeconds(30))) {
            only(store.apply(run(TestKafka.unique("run"), t, 1, 1, 1, 1), rejected::addAll));
            List<JobItem> items = run(TestKafka.unique("run"), t, 10, 2, 2, 2);
            assertEquals(List.of(), store.apply(items.subList(0, items.size() - 2), rejected::addAll));
            mc.expireUploadSessions();
            LoadResult r = only(store.apply(items.subList(items.size() - 2, items.size()), rejected::addAll));
            assertEquals(LoadResult.State.FAILED, r.state());
            assertTrue(r.reason().contains("no table was replaced") && r.reason().contains("rerun the window"), r.reason());
            assertEquals(Map.of(), r.written());
            assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L)), List.of(ids(t.get(0)), ids(t.get(1)), ids(t.get(2))),
                    "every table keeps the earlier run's rows");
        }
    }

    @Test
    void aRestartBetweenTwoTablesCommitsFinishesTheTablesLeftWithoutCommittingTheFirstAgain() throws Exception {
        List<String> t = tables();
        String progress = TestKafka.unique("progress");
        List<JobItem> items = run(TestKafka.unique("run"), t, 1, 2, 3, 4);
        try (JobRuns<MaxComputeRun> store = store(progress, Duration.ofSeconds(5))) {
            // the first table's commit takes effect but its answer never comes: the sink gives up at its deadline
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            SinkException e = assertThrows(SinkException.class, () -> store.apply(items, rejected::addAll));
            assertTrue(e.retriable(), e.getMessage());
            assertEquals(List.of(2, 0, 0), List.of(count(t.get(0)), count(t.get(1)), count(t.get(2))),
                    "one table replaced, the others wait");
        } finally {
            mc.clearFaults();
            mc.releaseHeldReplies();
        }
        try (JobRuns<MaxComputeRun> restarted = store(progress, Duration.ofSeconds(30))) {
            LoadResult r = only(restarted.apply(items, rejected::addAll));
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(Map.of(t.get(0) + "/ds=d1", 2L, t.get(1) + "/ds=d1", 3L, t.get(2) + "/ds=d1", 4L), r.written());
            assertEquals(1, mc.counters(PROJECT, t.get(0), "ds=d1").commits(), "the first table is not committed twice");
        }
        assertEquals(List.of(2, 3, 4), List.of(count(t.get(0)), count(t.get(1)), count(t.get(2))));
    }

    @Test
    void aCommitRefusedAfterTheFirstTableFailsTheRunNamingTheTablesReplacedAndNotAndARerunReplacesAll() throws Exception {
        List<String> t = tables();
        String progress = TestKafka.unique("progress");
        try (JobRuns<MaxComputeRun> store = store(progress, Duration.ofSeconds(30))) {
            only(store.apply(run(TestKafka.unique("run"), t, 1, 1, 1, 1), rejected::addAll));
        }
        List<JobItem> items = run(TestKafka.unique("run"), t, 10, 2, 3, 4);
        try (JobRuns<MaxComputeRun> store = store(progress, Duration.ofSeconds(5))) {
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            assertThrows(SinkException.class, () -> store.apply(items, rejected::addAll));
        } finally {
            mc.clearFaults();
            mc.releaseHeldReplies();
        }
        // the outage outlasts the sessions of the tables not yet committed: they can never be committed
        mc.expireUploadSessions();
        try (JobRuns<MaxComputeRun> restarted = store(progress, Duration.ofSeconds(30))) {
            LoadResult r = only(restarted.apply(items, rejected::addAll));
            assertEquals(LoadResult.State.FAILED, r.state());
            assertTrue(r.reason().contains("committing partition ds=d1 of " + t.get(1) + " failed"), r.reason());
            assertTrue(r.reason().contains("Tables replaced by this run: " + t.get(0)), r.reason());
            assertTrue(r.reason().contains("not replaced (they keep their earlier rows): " + t.get(1) + ", " + t.get(2)), r.reason());
            assertEquals(Map.of(t.get(0) + "/ds=d1", 2L), r.written(), "the result names the partition that was replaced");
            assertEquals(List.of(List.of(10L, 11L), List.of(2L), List.of(3L)), List.of(ids(t.get(0)), ids(t.get(1)), ids(t.get(2))));

            // the rerun of the window replaces every table again, the one already replaced too
            LoadResult rerun = only(restarted.apply(run(TestKafka.unique("run"), t, 10, 2, 3, 4), rejected::addAll));
            assertEquals(LoadResult.State.COMMITTED, rerun.state(), String.valueOf(rerun.reason()));
            assertFalse(rerun.written().isEmpty());
        }
        assertEquals(List.of(List.of(10L, 11L), List.of(12L, 13L, 14L), List.of(15L, 16L, 17L, 18L)),
                List.of(ids(t.get(0)), ids(t.get(1)), ids(t.get(2))));
    }

    @Test
    void aRunRecordedWithSessionsKeyedBySpecAloneAsOlderVersionsDidStillCommits() throws Exception {
        String t = tables().get(0);
        String progress = TestKafka.unique("progress");
        String run = TestKafka.unique("run");
        JobItem.Marker end = new JobItem.Marker(0, 2, new JobMarker(JobMarker.Kind.END, run,
                List.of(new Destination(t, Map.of("ds", "d1"))), 1, 0, 2));
        try (JobRuns<MaxComputeRun> store = store(progress, Duration.ofSeconds(30))) {
            assertEquals(List.of(), store.apply(List.of(row(run, t, 0, 0, 1), row(run, t, 0, 1, 2)), rejected::addAll));
        }
        // rewrite the record as an older version wrote it: the session under "ds=d1", without its table
        try (CommitLog log = new CommitLog(Map.of("bootstrap.servers", TestKafka.bootstrap()), progress, true)) {
            log.catchUp();
            StoredRun r = io.kwsync.model.job.JobStatusTopic.fromJson(log.job(run), StoredRun.class);
            StoredRun.Session s = r.sessions.remove(t + "/ds=d1");
            s.table = null;
            r.sessions.put("ds=d1", s);
            log.recordJob(run, io.kwsync.model.job.JobStatusTopic.toJson(r));
        }
        try (JobRuns<MaxComputeRun> restarted = store(progress, Duration.ofSeconds(30))) {
            LoadResult r = only(restarted.apply(List.of(end), rejected::addAll));
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(Map.of("ds=d1", 2L), r.written());
        }
        assertEquals(List.of(1L, 2L), ids(t), "the recorded session's rows, once (no second session was opened)");
    }
}
