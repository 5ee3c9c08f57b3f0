package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.schedule.ExpressionException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How runs are created from slots and requests: built-ins that need the job, windows in the future, bad slots. */
class RunsTest {

    /** 2022-11-22 10:05 in the job's zone (GMT+08:00). */
    static final Clock AT = Clock.fixed(Instant.parse("2022-11-22T02:05:00Z"), ZoneOffset.UTC);

    static Runs runs(Map<String, String> overrides) {
        Map<String, String> p = JobDefinitionTest.hourly();
        p.putAll(overrides);
        JobDefinition d = JobDefinitionTest.define(p);
        return new Runs(d, AT);
    }

    @Test
    void jobIdIsTheJobsNameInScheduledAndRequestedRuns() {
        Runs r = runs(Map.of("kwsync.job.parameters",
                "startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24] owner=$jobid"));
        assertEquals("orders-job", r.scheduled(LocalDateTime.parse("2022-11-22T10:00")).parameters().get("owner"));
        assertEquals("orders-job", r.requested(Map.of(), null).parameters().get("owner"));
        assertEquals("by-orders-job", r.requested(Map.of("owner", "by-$jobid"), null).parameters().get("owner"));
    }

    @Test
    void aRequestedWindowEndingLaterThanARunMayLastIsRefusedWithTheReason() {
        Runs r = runs(Map.of());
        // ends 2022-11-22 12:00 +08:00, 1h55m from now: longer than the 1h default timeout
        ExpressionException e = assertThrows(ExpressionException.class,
                () -> r.requested(Map.of("startTime", "20221122110000", "endTime", "20221122120000"), null));
        assertTrue(e.getMessage().contains("later than a run may last (1h)"), e.getMessage());
        // ends 10:30, within the timeout: queued (it waits for the window's end inside its time limit)
        assertEquals(RunStatus.State.QUEUED,
                r.requested(Map.of("startTime", "20221122100000", "endTime", "20221122103000"), null).state());
    }

    @Test
    void aSlotWhoseValuesCannotBeComputedBecomesAFailedRunThatIsNotRetried() {
        Runs r = runs(Map.of());
        RunStatus failed = r.unschedulable(LocalDateTime.parse("2022-11-22T10:00"), "'$[yyyymmdd-3000000]': year -6192");
        assertEquals(RunStatus.State.FAILED, failed.state());
        assertEquals(RunStatus.Trigger.SCHEDULE, failed.trigger());
        assertFalse(failed.retriable());
        assertNull(failed.retryAt());
        assertTrue(failed.error().startsWith("invalid run parameters: "), failed.error());
    }

    @Test
    void aRequestNamingAParameterTheJobDoesNotKnowIsRefusedNamingIt() {
        Runs r = runs(Map.of());
        ExpressionException e = assertThrows(ExpressionException.class, () -> r.requested(Map.of("foo", "bar"), null));
        assertEquals("unknown parameter 'foo': the job orders-job knows endTime, partition, startTime", e.getMessage());
        e = assertThrows(ExpressionException.class, () -> r.requested(Map.of("startTme", "20221122090000", "Partition", "x"), null));
        assertTrue(e.getMessage().startsWith("unknown parameters 'Partition', 'startTme'"), e.getMessage());
    }

    @Test
    void anEmptyWindowIsRefusedUnlessTheRequestAllowsIt() {
        Runs r = runs(Map.of());
        Map<String, String> empty = Map.of("startTime", "20221122090000", "endTime", "20221122090000", "partition", "2022112209");
        ExpressionException e = assertThrows(ExpressionException.class, () -> r.requested(empty, null));
        assertTrue(e.getMessage().contains("is empty (its end equals its begin)") && e.getMessage().contains("\"allowEmpty\": true"),
                e.getMessage());
        RunStatus allowed = r.requested(empty, null, true);
        assertTrue(allowed.emptyAllowed());
        assertTrue(r.rerun(allowed).emptyAllowed(), "a rerun of the same window may empty it too");
        assertTrue(r.retry(allowed).emptyAllowed());
        assertFalse(r.requested(Map.of(), null).emptyAllowed(), "not without asking");
        assertNull(r.requested(Map.of(), null).allowEmpty(), "and then not shown");
        assertFalse(r.scheduled(LocalDateTime.parse("2022-11-22T10:00")).emptyAllowed(), "a scheduled run never may");
    }

    @Test
    void aQueuedRunWithAnEmptyWindowCannotStartWithoutPermission() {
        JobDefinition d = JobDefinitionTest.define(JobDefinitionTest.hourly());
        Map<String, String> empty = Map.of("startTime", "20221122090000", "endTime", "20221122090000", "partition", "2022112209");
        assertThrows(ExpressionException.class, () -> RunWindow.resolve(d, empty, false));
        assertEquals(RunWindow.resolve(d, empty, true).begin(), RunWindow.resolve(d, empty, true).end());
    }

    @Test
    void offsetWindowsMustNotEndBeforeTheyBegin() {
        Map<String, String> p = JobDefinitionTest.hourly();
        p.remove("kwsync.job.schedule");
        p.put("kwsync.job.begin-offset", "${from}");
        p.put("kwsync.job.end-offset", "${to}");
        JobDefinition d = JobDefinitionTest.define(p);
        Runs r = new Runs(d, AT);
        ExpressionException e = assertThrows(ExpressionException.class,
                () -> r.requested(Map.of("from", "20", "to", "10", "partition", "x"), null));
        assertEquals("the window ends at offset 10, before its begin offset 20", e.getMessage());
        assertThrows(ExpressionException.class, () -> r.requested(Map.of("from", "10", "to", "10", "partition", "x"), null));
        assertTrue(r.requested(Map.of("from", "10", "to", "10", "partition", "x"), null, true).emptyAllowed());
        assertEquals(RunStatus.State.QUEUED, r.requested(Map.of("from", "seekToBeginning", "to", "10", "partition", "x"), null).state());
    }
}
