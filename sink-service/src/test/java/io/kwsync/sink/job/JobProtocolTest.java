package io.kwsync.sink.job;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.job.JobProtocol.Decision;
import io.kwsync.sink.job.JobProtocol.Step;
import io.kwsync.sink.job.RunState.RowsPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window-job protocol as a table: a recorded state and a poll's items in, the step, the rows to stage and the new
 * per-partition counts out. No destination is involved.
 *
 * <p>Notation. Items: {@code r0@5} a row on rows partition 0 at offset 5, {@code e1@3=2/3} an END marker on rows
 * partition 1 at offset 3 announcing 2 rows of a run spread over 3 rows partitions, {@code a0@4} an ABORT marker.
 * Partition states: {@code 0:6/5/1/-} is rows partition 0 with next offset 6, 5 staged, 1 refused, no END yet
 * ({@code /4} for an END announcing 4). A recorded shape {@code 2} means a first END said 2 rows partitions; 0 none.
 * An END ending in {@code !} ({@code e0@0=0/1!}) comes from a run requested with allowEmpty.
 */
class JobProtocolTest {

    static final String RUN = "run-1";
    static final String TABLE = "orders";
    static final Destination DS = new Destination(TABLE, Map.of("ds", "20221122"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what                                      | recorded                | shape | items                             | step   | staged            | partitions after
            "first rows wait for the END markers         |                         | 0     | r0@0 r0@1 r1@0                    | WAIT   | r0@0 r0@1 r1@0    | 0:2/2/0/- 1:1/1/0/-",
            "rows delivered again are skipped            | 0:2/2/0/-               | 0     | r0@0 r0@1 r0@2                    | WAIT   | r0@2              | 0:3/3/0/-",
            "a poll of nothing but redeliveries          | 0:2/2/0/- 1:1/1/0/-     | 0     | r0@1 r1@0                         | WAIT   |                   | 0:2/2/0/- 1:1/1/0/-",
            "offsets count per rows partition            | 0:9/9/0/-               | 0     | r1@0 r1@1 r0@8 r0@9               | WAIT   | r1@0 r1@1 r0@9    | 0:10/10/0/- 1:2/2/0/-",
            "END before the rows of other partitions     |                         | 0     | e1@0=0/2                          | WAIT   |                   | 1:1/0/0/0",
            "the last END of a run spread over partitions| 1:1/0/0/0               | 2     | r0@0 r0@1 e0@2=2/2                | COMMIT | r0@0 r0@1         | 0:3/2/0/2 1:1/0/0/0",
            "last END with matching counts commits       | 0:3/3/0/-               | 0     | e0@3=3/1                          | COMMIT |                   | 0:4/3/0/3",
            "refused rows count towards the announcement | 0:3/2/1/-               | 0     | e0@3=3/1                          | COMMIT |                   | 0:4/2/1/3",
            "rows and every END in one poll              |                         | 0     | r0@0 r1@0 e0@1=1/2 e1@1=1/2       | COMMIT | r0@0 r1@0         | 0:2/1/0/1 1:2/1/0/1",
            "one END of two waits                        | 0:2/2/0/- 1:1/1/0/-     | 0     | e0@2=2/2                          | WAIT   |                   | 0:3/2/0/2 1:1/1/0/-",
            "fewer rows than announced fail the run      | 0:1/1/0/-               | 0     | e0@1=2/1                          | FAIL   |                   | 0:2/1/0/2",
            "more rows than announced fail the run       |                         | 0     | r0@0 r0@1 r0@2 e0@3=2/1           | FAIL   | r0@0 r0@1 r0@2    | 0:4/3/0/2",
            "an END delivered again decides nothing      | 0:3/2/0/2               | 2     | e0@2=2/2                          | WAIT   |                   | 0:3/2/0/2",
            "an END redelivered with the last new END    | 0:3/2/0/2 1:1/1/0/-     | 2     | e0@2=2/2 e1@1=1/2                 | COMMIT |                   | 0:3/2/0/2 1:2/1/0/1",
            "rows after the END of their partition       | 0:3/2/0/2               | 2     | r0@3 e1@0=0/2                     | FAIL   | r0@3              | 0:4/3/0/2 1:1/0/0/0",
            "ABORT decides at once and stages nothing    | 0:2/2/0/-               | 0     | r0@2 r0@3 a1@0                    | ABORT  |                   | 0:4/4/0/-",
            "an ABORT delivered again is skipped         | 1:1/0/0/-               | 0     | a1@0 r0@0                         | WAIT   | r0@0              | 0:1/1/0/- 1:1/0/0/-",
            "a run of no rows asks what it would empty   |                         | 0     | e0@0=0/1                          | GUARD  |                   | 0:1/0/0/0",
            "no rows over two rows partitions            | 1:1/0/0/0               | 2     | e0@0=0/2                          | GUARD  |                   | 0:1/0/0/0 1:1/0/0/0",
            "no rows, allowed to empty: commits          |                         | 0     | e0@0=0/1!                         | COMMIT |                   | 0:1/0/0/0",
            "only refused rows still count as rows       | 0:3/0/3/-               | 0     | e0@3=3/1                          | COMMIT |                   | 0:4/0/3/3",
            "a count mismatch fails before any guard     |                         | 0     | e0@0=1/1                          | FAIL   |                   | 0:1/0/0/1",
    })
    void decides(String what, String recorded, int shape, String items, Step step, String staged, String after) {
        Decision d = JobProtocol.decide(state(recorded, shape), items(items));
        assertEquals(step, d.step(), what);
        assertEquals(blank(staged), d.rows().stream().map(r -> "r" + r.rowsPartition() + "@" + r.rowsOffset())
                .collect(Collectors.joining(" ")), what);
        assertEquals(blank(after), describe(d.run().partitions()), what);
        assertNull(d.run().decision(), what);
    }

    @Test
    void allowEmptyComesWithTheShapeFromTheFirstEndAndStaysRecorded() {
        RunState first = JobProtocol.decide(RunState.fresh(null), items("e1@0=0/2!")).run();
        assertTrue(first.allowEmpty());
        Decision last = JobProtocol.decide(first, items("e0@0=0/2"));
        assertEquals(Step.COMMIT, last.step(), "a later END does not change the shape");
        assertTrue(last.run().allowEmpty() && last.run().beginCommit().allowEmpty());
        assertTrue(last.run().withTable("x").allowEmpty() && last.run().withPartitions(Map.of()).allowEmpty());

        RunState refused = JobProtocol.decide(RunState.fresh(null), items("e1@0=0/2")).run();
        assertEquals(Step.GUARD, JobProtocol.decide(refused, items("e0@0=0/2!")).step());
        assertEquals(false, RunState.fresh(TABLE).allowEmpty(), "a run without a recorded shape may not empty anything");
    }

    @Test
    void theGuardCommitsOverEmptyOrMissingPartitionsAndOtherwiseFailsNamingThemAndTheWayToDoItOnPurpose() {
        RunState run = JobProtocol.decide(RunState.fresh(null), items("e0@0=0/1")).run();
        assertEquals(Step.COMMIT, JobProtocol.guard(run, Map.of()).step(), "nothing held: a quiet hour commits");
        assertEquals(Step.COMMIT, JobProtocol.guard(run, Map.of("ds=20221122", 0L)).step());

        Decision one = JobProtocol.guard(run, Map.of("ds=20221122", 5L));
        assertEquals(Step.FAIL, one.step());
        assertSame(run, one.run());
        assertEquals("the run brings no rows and would empty partition ds=20221122 of orders, which holds 5 rows; nothing was"
                + " changed. A window that read nothing by mistake must not wipe loaded rows: to empty it on purpose, request"
                + " the run with \"allowEmpty\": true", one.failure());

        Map<String, Long> two = new java.util.LinkedHashMap<>();
        two.put("ds=a", 1L);
        two.put("ds=b", 0L);
        two.put("ds=c", 7L);
        String several = JobProtocol.guard(run, two).failure();
        assertTrue(several.startsWith("the run brings no rows and would empty partitions ds=a (1 row), ds=c (7 rows) of orders;"),
                several);
        assertTrue(several.contains("to empty them on purpose"), several);

        String whole = JobProtocol.guard(run, Map.of("", 3L)).failure();
        assertTrue(whole.startsWith("the run brings no rows and would empty table orders, which holds 3 rows;"), whole);
    }

    @Test
    void aCountThatDoesNotMatchNamesThePartitionAndBothCounts() {
        Decision d = JobProtocol.decide(state("0:1/1/0/- 1:3/2/1/-", 0), items("e0@1=1/2 e1@3=2/2"));
        assertEquals(Step.FAIL, d.step());
        assertEquals("rows partition 1 announced 2 rows but 3 arrived", d.failure());
    }

    @Test
    void theFirstEndGivesTheRunItsShapeAndLaterOnesDoNotChangeIt() {
        RunState first = JobProtocol.decide(RunState.fresh(null), items("e1@0=0/3")).run();
        assertEquals(List.of(DS.partition()), first.replaces());
        assertEquals(3, first.rowsPartitions());
        assertEquals(TABLE, first.table(), "an END names the table when no row did");

        JobMarker other = new JobMarker(JobMarker.Kind.END, RUN, List.of(new Destination(TABLE, Map.of("ds", "x"))), 5, 2, 0);
        RunState later = JobProtocol.decide(first, List.of(new JobItem.Marker(2, 0, other))).run();
        assertEquals(first.replaces(), later.replaces());
        assertEquals(3, later.rowsPartitions());
    }

    @Test
    void theTableComesFromTheFirstRowUnlessTheStoreKnowsItAlready() {
        assertEquals(TABLE, JobProtocol.decide(RunState.fresh(null), items("r0@0")).run().table());
        assertEquals("fixed", JobProtocol.decide(RunState.fresh("fixed"), items("r0@0 e0@1=1/1")).run().table(),
                "a destination writing every row to one table records it before the first item");
    }

    @Test
    void aDecidedRunChangesNoMoreAndAnEndAsksForItsDecisionAgain() {
        LoadResult committed = new LoadResult(RUN, LoadResult.State.COMMITTED, TABLE, Map.of("ds=20221122", 3L), 0, null, 1L);
        RunState decided = new RunState(TABLE, null, 0, Map.of(), false, committed);

        Decision again = JobProtocol.decide(decided, items("r0@0 r0@7 e0@8=8/1"));
        assertEquals(Step.REPEAT, again.step());
        assertSame(committed, again.run().decision());
        assertEquals(List.of(), again.rows(), "rows of a decided run are dropped");

        assertEquals(Step.IGNORE, JobProtocol.decide(decided, items("r0@9")).step(), "no END: nothing to say");
        assertEquals(Step.IGNORE, JobProtocol.decide(decided, items("a0@9")).step(), "an ABORT does not undo a decision");
    }

    @Test
    void aRunWhoseCommitBeganIsFinishedWhateverTheItems() {
        RunState committing = state("0:4/3/0/3", 1).beginCommit();
        Decision d = JobProtocol.decide(committing, items("r0@0 r0@9 a0@10"));
        assertEquals(Step.FINISH, d.step());
        assertSame(committing, d.run());
        assertEquals(List.of(), d.rows());
    }

    @Test
    void refusalsMoveRowsFromStagedToRefusedAndLeaveTheArrivalsAlone() {
        RunState run = state("0:5/5/0/- 1:2/2/0/-", 0);
        RunState after = JobProtocol.refused(run, List.of(0, 1, 0));
        assertEquals("0:5/3/2/- 1:2/1/1/-", describe(after.partitions()));
        assertEquals(4, after.staged());
        assertEquals(3, after.rejected());
        assertSame(run, JobProtocol.refused(run, List.of()));
        assertThrows(IllegalArgumentException.class, () -> JobProtocol.refused(run, List.of(7)));
    }

    @Test
    void theInputStateIsLeftUnchanged() {
        RunState run = state("0:2/2/0/-", 0);
        JobProtocol.decide(run, items("r0@2 e0@3=3/1"));
        assertEquals("0:2/2/0/-", describe(run.partitions()));
        assertTrue(run.replaces() == null && !run.committing());
    }

    static JobItem.Row routedRow(int rp, long offset, String table) {
        return new JobItem.Row(rp, offset, new RowEvent(new Origin("src", rp, offset, 0, null, List.of()),
                new Destination(table, DS.partition()), Map.of("id", offset), RUN));
    }

    static JobItem.Marker routedEnd(int rp, long offset, long rows, int rowsPartitions) {
        return new JobItem.Marker(rp, offset, new JobMarker(JobMarker.Kind.END, RUN,
                List.of(new Destination("ods_${topic}", DS.partition())), rowsPartitions, rp, rows, false, true));
    }

    @Test
    void aRoutedRunCollectsTheTablesOfItsRowsAcrossPollsAndIsNamedByItsTemplate() {
        Decision first = JobProtocol.decide(RunState.fresh(null), List.of(routedRow(0, 0, "ods_b"), routedRow(1, 0, "ods_a")));
        assertEquals(Step.WAIT, first.step());
        assertEquals(List.of("ods_a", "ods_b"), List.copyOf(first.run().tables()));
        assertEquals(List.of("ods_b"), first.run().targets(), "before its END a run is not known to be routed");

        Decision last = JobProtocol.decide(first.run(), List.of(routedRow(0, 1, "ods_c"), routedRow(0, 2, "ods_a"),
                routedEnd(0, 3, 3, 2), routedEnd(1, 1, 1, 2)));
        assertEquals(Step.COMMIT, last.step(), "the counts are per rows partition, over every table");
        assertTrue(last.run().routed());
        assertEquals("ods_${topic}", last.run().table(), "the template names the run, not its first row's table");
        assertEquals(List.of("ods_a", "ods_b", "ods_c"), last.run().targets());
        assertTrue(last.run().beginCommit().routed() && last.run().withPartitions(Map.of()).tables().size() == 3,
                "routing and the tables survive every copy of the state");

        Decision missing = JobProtocol.decide(first.run(), List.of(routedRow(0, 1, "ods_c"), routedEnd(0, 2, 3, 2),
                routedEnd(1, 1, 1, 2)));
        assertEquals(Step.FAIL, missing.step(), "staged + refused == announced holds for a routed run too");
        assertEquals("rows partition 0 announced 3 rows but 2 arrived", missing.failure());

        Decision aborted = JobProtocol.decide(first.run(), items("a0@5"));
        assertEquals(Step.ABORT, aborted.step());
        assertEquals(2, aborted.run().tables().size(), "an aborted run still names the tables whose staging is dropped");
    }

    @Test
    void aRoutedRunWithoutRowsReplacesNothingAndAOneTableRunTargetsItsTable() {
        Decision empty = JobProtocol.decide(RunState.fresh(null), List.of(routedEnd(0, 0, 0, 1)));
        assertEquals(Step.GUARD, empty.step());
        assertEquals(List.of(), empty.run().targets(), "no table got rows: none is touched");
        assertEquals(Step.COMMIT, JobProtocol.guard(empty.run(), Map.of()).step());

        Decision plain = JobProtocol.decide(RunState.fresh(null), items("r0@0 e0@1=1/1"));
        assertEquals(List.of(TABLE), plain.run().targets());
        assertEquals(false, plain.run().routed());
    }

    // --- notation ---

    static String blank(String s) {
        return s == null ? "" : s;
    }

    static RunState state(String parts, int shape) {
        Map<Integer, RowsPartition> p = new TreeMap<>();
        for (String s : blank(parts).split(" ")) {
            if (s.isEmpty()) continue;
            String[] kv = s.split(":");
            String[] n = kv[1].split("/");
            p.put(Integer.parseInt(kv[0]), new RowsPartition(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]),
                    n[3].equals("-") ? null : Long.valueOf(n[3])));
        }
        return new RunState(TABLE, shape == 0 ? null : List.of(DS.partition()), shape, p, false, null);
    }

    static String describe(Map<Integer, RowsPartition> parts) {
        List<String> out = new ArrayList<>();
        parts.forEach((k, p) -> out.add(k + ":" + p.nextOffset() + "/" + p.staged() + "/" + p.rejected() + "/"
                + (p.announced() == null ? "-" : p.announced())));
        return String.join(" ", out);
    }

    static List<JobItem> items(String spec) {
        List<JobItem> out = new ArrayList<>();
        for (String s : Arrays.stream(blank(spec).split(" ")).filter(x -> !x.isEmpty()).toList()) {
            char kind = s.charAt(0);
            int at = s.indexOf('@');
            int rp = Integer.parseInt(s.substring(1, at));
            String rest = s.substring(at + 1);
            if (kind == 'r') {
                long offset = Long.parseLong(rest);
                out.add(new JobItem.Row(rp, offset, new RowEvent(new Origin("src", rp, offset, 0, null, List.of()), DS,
                        Map.of("id", offset), RUN)));
            } else if (kind == 'e') {
                boolean allowEmpty = rest.endsWith("!");
                if (allowEmpty) rest = rest.substring(0, rest.length() - 1);
                long offset = Long.parseLong(rest.substring(0, rest.indexOf('=')));
                String[] counts = rest.substring(rest.indexOf('=') + 1).split("/");
                out.add(new JobItem.Marker(rp, offset, new JobMarker(JobMarker.Kind.END, RUN, List.of(DS),
                        Integer.parseInt(counts[1]), rp, Long.parseLong(counts[0]), allowEmpty)));
            } else {
                out.add(new JobItem.Marker(rp, Long.parseLong(rest), new JobMarker(JobMarker.Kind.ABORT, RUN, List.of(),
                        rp + 1, rp, 0)));
            }
        }
        return out;
    }
}
