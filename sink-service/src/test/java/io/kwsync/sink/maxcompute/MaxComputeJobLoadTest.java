package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordPack;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.emulator.maxcompute.ReplyFault;
import io.kwsync.emulator.maxcompute.TunnelCall;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Window jobs into MaxCompute (the protocol over {@link MaxComputeRunStore} and {@link MaxComputeStaging}) against the
 * emulator (the real SDK over HTTP) and the real broker for its state: overwrite sessions committed with the last
 * marker, redelivery and restarts, lost commit replies, abort, refusals, failures.
 * A "restart" is a new store on the same progress topic, as a new sink process would build.
 */
class MaxComputeJobLoadTest {

    static final String PROJECT = "kwsync_jobs";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;
    final List<Rejected> rejected = new ArrayList<>();

    static Odps odps() {
        return Sinks.odps(mc, PROJECT, Duration.ofSeconds(30));
    }

    /** The store as the destination builds it, and its run states for a look at what it recorded. */
    record Jobs(JobRuns<MaxComputeRun> runs, MaxComputeRunStore states) implements AutoCloseable {
        List<LoadResult> apply(List<JobItem> items, RowSink.RejectHandler rejects) throws SinkException {
            return runs.apply(items, rejects);
        }

        StoredRun recorded(String runId) {
            return states.recorded(runId);
        }

        @Override
        public void close() {
            runs.close();
        }
    }

    static Jobs store(String progressTopic) {
        return store(progressTopic, Duration.ofSeconds(30));
    }

    static Jobs store(String progressTopic, Duration callTimeout) {
        CommitLog log = new CommitLog(Map.of("bootstrap.servers", TestKafka.bootstrap()), progressTopic, true);
        MaxComputeRunStore states = new MaxComputeRunStore(log, PROJECT, null);
        MaxComputeStaging staging = Sinks.staging(mc, PROJECT, callTimeout);
        return new Jobs(new JobRuns<>(states, staging, Clock.fixed(Instant.parse("2022-11-22T02:05:00Z"), ZoneOffset.UTC)), states);
    }

    static String table() {
        String t = TestKafka.unique("jobs").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " (id BIGINT, name STRING) PARTITIONED BY (ds STRING)");
        return t;
    }

    static Destination part(String table, String ds) {
        return new Destination(table, Map.of("ds", ds));
    }

    static JobItem.Row row(String run, String table, String ds, int rowsPartition, long offset, Object id) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("name", "n" + id);
        return new JobItem.Row(rowsPartition, offset, new RowEvent(new Origin("src", rowsPartition, offset, 0, null, List.of()),
                part(table, ds), c, run));
    }

    static JobItem.Marker end(String run, int rowsPartitions, int rowsPartition, long offset, long rows, Destination... replaces) {
        return new JobItem.Marker(rowsPartition, offset, new JobMarker(JobMarker.Kind.END, run, List.of(replaces),
                rowsPartitions, rowsPartition, rows));
    }

    static JobItem.Marker end(String run, int rowsPartitions, int rowsPartition, long offset, boolean allowEmpty,
                              Destination... replaces) {
        return new JobItem.Marker(rowsPartition, offset, new JobMarker(JobMarker.Kind.END, run, List.of(replaces),
                rowsPartitions, rowsPartition, 0, allowEmpty));
    }

    static List<Object> ids(String table, String ds) {
        return mc.rows(PROJECT, table, "ds=" + ds).stream().map(r -> r.get("id")).sorted().collect(Collectors.toList());
    }

    List<LoadResult> apply(Jobs store, JobItem... items) throws Exception {
        return store.apply(List.of(items), rejected::addAll);
    }

    @Test
    void aRunBecomesVisibleOnlyWithItsLastMarkerAndARerunReplacesThePartition() throws Exception {
        String t = table();
        try (Jobs store = store(TestKafka.unique("progress"))) {
            String first = TestKafka.unique("run");
            LoadResult r1 = apply(store, row(first, t, "d10", 0, 0, 1L), row(first, t, "d10", 0, 1, 2L),
                    row(first, t, "d09", 0, 2, 3L), end(first, 1, 0, 3, 3, part(t, "d10"), part(t, "d09"))).get(0);
            assertEquals(LoadResult.State.COMMITTED, r1.state(), String.valueOf(r1.reason()));
            assertEquals(Map.of("ds=d10", 2L, "ds=d09", 1L), r1.written());

            String rerun = TestKafka.unique("run");
            assertEquals(List.of(), apply(store, row(rerun, t, "d10", 0, 10, 10L), row(rerun, t, "d10", 0, 11, 11L),
                    row(rerun, t, "d10", 1, 0, 12L), end(rerun, 2, 0, 12, 2, part(t, "d10"))));
            assertEquals(List.of(1L, 2L), ids(t, "d10"), "nothing visible before every marker arrived");

            List<LoadResult> done = apply(store, end(rerun, 2, 1, 1, 1, part(t, "d10")));
            assertEquals(1, done.size());
            LoadResult r = done.get(0);
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(Map.of("ds=d10", 3L), r.written());
            assertEquals(t, r.table());
            assertEquals(List.of(10L, 11L, 12L), ids(t, "d10"), "the partition is replaced, never added to");
            assertEquals(List.of(3L), ids(t, "d09"), "partitions the rerun does not name are untouched");

            // the same records delivered again (a restart before the consumer commit) change nothing and repeat the result
            assertEquals(List.of(r), apply(store, row(rerun, t, "d10", 1, 0, 12L), end(rerun, 2, 1, 1, 1, part(t, "d10"))));
            assertEquals(List.of(10L, 11L, 12L), ids(t, "d10"));
        }
    }

    @Test
    void afterARestartRedeliveredRowsAreWrittenOnceAndABlockLeftByTheCrashIsDropped() throws Exception {
        String t = table();
        String progress = TestKafka.unique("progress");
        String run = TestKafka.unique("run");
        try (Jobs store = store(progress)) {
            apply(store, row(run, t, "d1", 0, 0, 1L), row(run, t, "d1", 0, 1, 2L), row(run, t, "d2", 1, 0, 20L));
        }
        StoredRun recorded;
        try (Jobs restarted = store(progress)) {
            restarted.apply(List.of(), rejected::addAll);
            recorded = restarted.recorded(run);
        }
        // the crash: blocks uploaded into both sessions after the last recorded state, their items never acknowledged
        orphanBlock(t, "d1", recorded.sessions.get(t + "/ds=d1"), 99L);
        orphanBlock(t, "d2", recorded.sessions.get(t + "/ds=d2"), 98L);

        try (Jobs restarted = store(progress)) {
            // the rows topic is read again from the last acknowledged offsets: rows partition 0 from offset 0
            assertEquals(List.of(), apply(restarted, row(run, t, "d1", 0, 0, 1L), row(run, t, "d1", 0, 1, 2L),
                    row(run, t, "d1", 0, 2, 3L)));
            LoadResult r = apply(restarted, end(run, 2, 0, 3, 3, part(t, "d1"), part(t, "d2")),
                    end(run, 2, 1, 1, 1, part(t, "d1"), part(t, "d2"))).get(0);
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(Map.of("ds=d1", 3L, "ds=d2", 1L), r.written());
        }
        assertEquals(List.of(1L, 2L, 3L), ids(t, "d1"), "the block rewritten from the redelivery replaced the crash's block");
        assertEquals(List.of(20L), ids(t, "d2"), "a block nobody rewrote was emptied before the commit");
    }

    /** Uploads a block with the given row as the next block of a recorded session, as a crash before recording leaves it. */
    static void orphanBlock(String table, String ds, StoredRun.Session s, long id) throws Exception {
        TableTunnel.UploadSession u = new TableTunnel(odps()).getUploadSession(PROJECT, table,
                new com.aliyun.odps.PartitionSpec("ds=" + ds), s.id);
        RecordPack pack = u.newRecordPack(new CompressOption());
        Record record = u.newRecord();
        record.set("id", id);
        record.set("name", "orphan");
        pack.append(record);
        u.writeBlock(s.blocks.size(), pack);
    }

    @Test
    void aCommitWhoseReplyIsLostIsNotRepeatedNeitherByARetryNorAfterARestart() throws Exception {
        String t = table();
        String progress = TestKafka.unique("progress");
        String run = TestKafka.unique("run");
        List<JobItem> items = List.of(row(run, t, "a", 0, 0, 1L), row(run, t, "b", 0, 1, 2L),
                end(run, 1, 0, 2, 2, part(t, "a"), part(t, "b")));
        try (Jobs store = store(progress, Duration.ofSeconds(5))) {
            // partition a is replaced, its answer never arrives: the sink gives the call up at its deadline
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            SinkException e = assertThrows(SinkException.class, () -> store.apply(items, rejected::addAll));
            assertTrue(e.retriable(), e.getMessage());
            assertEquals(List.of(1L), ids(t, "a"));
            assertEquals(List.of(), ids(t, "b"), "the second partition waits for the first");
        } finally {
            mc.clearFaults();
            mc.releaseHeldReplies();
        }
        try (Jobs restarted = store(progress)) {
            long commitsBefore = mc.counters(PROJECT, t, "ds=a").commits() + mc.counters(PROJECT, t, "ds=b").commits();
            LoadResult r = restarted.apply(items, rejected::addAll).get(0);
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(Map.of("ds=a", 1L, "ds=b", 1L), r.written());
            // counted when a commit takes effect: a request the first store gave up on may still arrive, and is answered
            assertEquals(1, mc.counters(PROJECT, t, "ds=a").commits() + mc.counters(PROJECT, t, "ds=b").commits() - commitsBefore,
                    "only the partition not yet committed is committed");
            assertEquals(1, mc.counters(PROJECT, t, "ds=a").commits());
        }
        assertEquals(List.of(1L), ids(t, "a"));
        assertEquals(List.of(2L), ids(t, "b"));
    }

    @Test
    void aReplacedPartitionWithoutRowsIsEmptiedAndAnUnpartitionedTableReplacedWhole() throws Exception {
        String t = table();
        String plain = TestKafka.unique("jobs_plain").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + plain + " (id BIGINT, name STRING)");
        try (Jobs store = store(TestKafka.unique("progress"))) {
            String old = TestKafka.unique("run");
            apply(store, row(old, t, "main", 0, 0, 1L), row(old, t, "late", 0, 1, 2L),
                    end(old, 1, 0, 2, 2, part(t, "main"), part(t, "late")));
            String run = TestKafka.unique("run");
            LoadResult r = apply(store, row(run, t, "main", 0, 5, 5L), row(run, t, "main", 0, 6, 6L),
                    end(run, 1, 0, 7, 2, part(t, "main"), part(t, "late"))).get(0);
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(Map.of("ds=main", 2L, "ds=late", 0L), r.written());
            assertEquals(List.of(5L, 6L), ids(t, "main"));
            assertEquals(List.of(), ids(t, "late"), "a replaced partition without rows is emptied");

            String fresh = TestKafka.unique("run");
            LoadResult n = apply(store, end(fresh, 1, 0, 8, 0, part(t, "never_seen"))).get(0);
            assertEquals(LoadResult.State.COMMITTED, n.state(), String.valueOf(n.reason()));
            assertEquals(List.of(), ids(t, "never_seen"), "a missing replaced partition is created, empty");

            for (long id = 1; id <= 2; id++) {
                String whole = TestKafka.unique("run");
                JobItem.Row x = new JobItem.Row(0, 20 + id, new RowEvent(new Origin("src", 0, 20 + id, 0, null, List.of()),
                        Destination.table(plain), Map.of("id", id, "name", "w"), whole));
                LoadResult w = apply(store, x, new JobItem.Marker(0, 30 + id, new JobMarker(JobMarker.Kind.END, whole,
                        List.of(Destination.table(plain)), 1, 0, 1))).get(0);
                assertEquals(Map.of("", 1L), w.written(), String.valueOf(w.reason()));
            }
            assertEquals(List.of(2L), mc.rows(PROJECT, plain, "").stream().map(m -> m.get("id")).toList());
        }
    }

    @Test
    void aRunWithoutRowsEmptiesALoadedPartitionOnlyWhenItsRequestAllowedIt() throws Exception {
        String t = table();
        String plain = TestKafka.unique("jobs_plain").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + plain + " (id BIGINT, name STRING)");
        String progress = TestKafka.unique("progress");
        String purpose = TestKafka.unique("run");
        try (Jobs store = store(progress)) {
            String old = TestKafka.unique("run");
            apply(store, row(old, t, "d1", 0, 0, 1L), row(old, t, "d1", 0, 1, 2L), end(old, 1, 0, 2, 2, part(t, "d1")));
            String refused = TestKafka.unique("run");
            assertEquals(List.of(), apply(store, end(refused, 2, 0, 3, false, part(t, "d1"), part(t, "quiet"))));
            LoadResult r = apply(store, end(refused, 2, 1, 0, false, part(t, "d1"), part(t, "quiet"))).get(0);
            assertEquals(LoadResult.State.FAILED, r.state());
            assertTrue(r.reason().startsWith("the run brings no rows and would empty partition ds=d1 of " + t
                    + ", which holds 2 rows; nothing was changed.") && r.reason().endsWith("\"allowEmpty\": true"), r.reason());
            assertEquals(List.of(1L, 2L), ids(t, "d1"), "the loaded partition keeps its rows");
            assertTrue(mc.partitions(PROJECT, t).stream().noneMatch(p -> p.contains("quiet")), "nothing was created either");

            String quiet = TestKafka.unique("run");
            LoadResult q = apply(store, end(quiet, 1, 0, 4, false, part(t, "quiet"))).get(0);
            assertEquals(LoadResult.State.COMMITTED, q.state(), "a quiet hour over a missing partition commits: " + q.reason());

            String whole = TestKafka.unique("run");
            apply(store, new JobItem.Row(0, 5, new RowEvent(new Origin("src", 0, 5, 0, null, List.of()),
                    Destination.table(plain), Map.of("id", 7L, "name", "w"), whole)), new JobItem.Marker(0, 6,
                    new JobMarker(JobMarker.Kind.END, whole, List.of(Destination.table(plain)), 1, 0, 1)));
            String emptyWhole = TestKafka.unique("run");
            LoadResult w = apply(store, end(emptyWhole, 1, 0, 7, false, Destination.table(plain))).get(0);
            assertEquals(LoadResult.State.FAILED, w.state());
            assertTrue(w.reason().startsWith("the run brings no rows and would empty table " + plain + ", which holds 1 row;"),
                    w.reason());
            assertEquals(1, mc.rows(PROJECT, plain, "").size());

            // on purpose, the first END before a restart: allowEmpty is recorded with the run's shape
            assertEquals(List.of(), apply(store, end(purpose, 2, 0, 8, true, part(t, "d1"))));
        }
        try (Jobs restarted = store(progress)) {
            LoadResult p = apply(restarted, end(purpose, 2, 1, 1, true, part(t, "d1"))).get(0);
            assertEquals(LoadResult.State.COMMITTED, p.state(), String.valueOf(p.reason()));
            assertEquals(Map.of("ds=d1", 0L), p.written());
        }
        assertEquals(List.of(), ids(t, "d1"), "emptied on purpose");
    }

    @Test
    void refusedRowsGoToTheErrorHandlerAndCountAgainstTheMarker() throws Exception {
        String t = table();
        try (Jobs store = store(TestKafka.unique("progress"))) {
            String run = TestKafka.unique("run");
            LoadResult r = apply(store, row(run, t, "d1", 0, 0, 1L), row(run, t, "d1", 0, 1, "not-a-number"),
                    row(run, t, "d1", 0, 2, 3L), end(run, 1, 0, 3, 3, part(t, "d1"))).get(0);
            assertEquals(LoadResult.State.COMMITTED, r.state(), String.valueOf(r.reason()));
            assertEquals(1, r.rejected());
            assertEquals(Map.of("ds=d1", 2L), r.written());
        }
        assertEquals(1, rejected.size());
        assertEquals(1L, rejected.get(0).row().origin().offset());
        String reason = rejected.get(0).reason().getMessage();
        assertTrue(reason.contains("column id (BIGINT): 'not-a-number' is not an integer"), reason);
        assertEquals(List.of(1L, 3L), ids(t, "d1"));
    }

    @Test
    void anAbortedRunLeavesTheDestinationAsItWasAndIgnoresLaterItems() throws Exception {
        String t = table();
        try (Jobs store = store(TestKafka.unique("progress"))) {
            String old = TestKafka.unique("run");
            apply(store, row(old, t, "d1", 0, 0, 1L), end(old, 1, 0, 1, 1, part(t, "d1")));
            String run = TestKafka.unique("run");
            apply(store, row(run, t, "d1", 0, 2, 5L));
            List<LoadResult> aborted = apply(store, new JobItem.Marker(1, 0, new JobMarker(JobMarker.Kind.ABORT, run, List.of(), 2, 1, 0)));
            assertEquals(LoadResult.State.ABORTED, aborted.get(0).state());
            assertEquals(aborted, apply(store, row(run, t, "d1", 0, 3, 6L), end(run, 2, 0, 4, 2, part(t, "d1"))),
                    "a decided run is not decided again; a later END repeats the decision");
        }
        assertEquals(List.of(1L), ids(t, "d1"));
    }

    @Test
    void problemsOfOneRunFailThatRunOnly() throws Exception {
        String t = table();
        try (Jobs store = store(TestKafka.unique("progress"))) {
            String missingTable = "no_such_table_" + TestKafka.unique("x").replace('-', '_');
            String bad = TestKafka.unique("run");
            LoadResult noTable = apply(store, row(bad, missingTable, "d1", 0, 0, 1L)).get(0);
            assertEquals(LoadResult.State.FAILED, noTable.state());
            assertTrue(noTable.reason().contains(missingTable + " does not exist"), noTable.reason());

            String wrongColumn = TestKafka.unique("run");
            LoadResult wrong = apply(store, new JobItem.Marker(0, 1, new JobMarker(JobMarker.Kind.END, wrongColumn,
                    List.of(new Destination(t, Map.of("dt", "x"))), 1, 0, 0))).get(0);
            assertEquals(LoadResult.State.FAILED, wrong.state());
            assertTrue(wrong.reason().contains("partitioned by [ds]") && wrong.reason().contains("dt"), wrong.reason());

            String mismatch = TestKafka.unique("run");
            LoadResult m = apply(store, row(mismatch, t, "d1", 0, 2, 1L), end(mismatch, 1, 0, 3, 2, part(t, "d1"))).get(0);
            assertEquals(LoadResult.State.FAILED, m.state());
            assertTrue(m.reason().contains("announced 2 rows but 1 arrived"), m.reason());

            String elsewhere = TestKafka.unique("run");
            LoadResult e = apply(store, row(elsewhere, t, "d2", 0, 4, 1L), end(elsewhere, 1, 0, 5, 1, part(t, "d1"))).get(0);
            assertEquals(LoadResult.State.FAILED, e.state());
            assertTrue(e.reason().contains("partition ds=d2"), e.reason());
            assertTrue(mc.partitions(PROJECT, t).stream().allMatch(p -> mc.rows(PROJECT, t, p).isEmpty()), "a failed run changes nothing");

            String expired = TestKafka.unique("run");
            apply(store, row(expired, t, "d1", 0, 8, 1L));
            mc.expireUploadSessions();
            LoadResult x = apply(store, row(expired, t, "d1", 0, 9, 2L), end(expired, 1, 0, 10, 2, part(t, "d1"))).get(0);
            assertEquals(LoadResult.State.FAILED, x.state());
            assertTrue(x.reason().contains("upload session of the run expired"), x.reason());

            String good = TestKafka.unique("run");
            assertEquals(LoadResult.State.COMMITTED, apply(store, row(good, t, "d1", 0, 11, 1L), end(good, 1, 0, 12, 1, part(t, "d1")))
                    .get(0).state());
            assertNull(apply(store, row(good, t, "d1", 0, 11, 1L)).stream().findAny().orElse(null));
            assertEquals(List.of(1L), ids(t, "d1"));
        }
    }
}
