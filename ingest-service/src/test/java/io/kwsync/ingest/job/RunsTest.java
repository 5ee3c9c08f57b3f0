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
}
