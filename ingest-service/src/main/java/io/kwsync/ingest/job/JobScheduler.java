package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobControl;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.Schedule;
import io.kwsync.ingest.schedule.WindowTime;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * On the leader only: queues a run for every schedule slot whose time has come, and the reruns of failed runs whose
 * pause is over. The last slot fired is kept on the status topic, so a new leader (or a restart) continues from there:
 * missed slots are run, oldest first, up to KWSYNC_JOB_SCHEDULE_CATCH_UP_MAX. A job that never ran starts with the
 * first slot after its first start.
 */
final class JobScheduler {

    private static final Logger LOG = Logger.getLogger(JobScheduler.class);

    private final JobControl def;
    private final StatusLog log;
    private final Runs runs;
    private final Clock clock;

    JobScheduler(JobControl def, StatusLog log, Runs runs, Clock clock) {
        this.def = def;
        this.log = log;
        this.runs = runs;
        this.clock = clock;
    }

    /** One pass; called repeatedly by the leader. */
    void tick() {
        if (def.schedule() != null) fireDueSlots(def.schedule());
        fireDueRetries();
    }

    private void fireDueSlots(Schedule schedule) {
        Instant now = clock.instant();
        LocalDateTime localNow = LocalDateTime.ofInstant(now, def.zone());
        Optional<String> last = log.lastSlot();
        if (last.isEmpty()) {
            // first start: nothing before now is owed; remember where the schedule begins
            LocalDateTime base = schedule.latestAtOrBefore(localNow).orElse(localNow);
            log.publishSlot(base.toString());
            LOG.infof("schedule %s starts after %s; next slot %s", schedule, base, schedule.nextAfter(base));
            return;
        }
        Deque<LocalDateTime> due = new ArrayDeque<>();
        long skipped = 0;
        for (LocalDateTime s = schedule.nextAfter(LocalDateTime.parse(last.get()));
             !WindowTime.toInstant(s, def.zone()).isAfter(now); s = schedule.nextAfter(s)) {
            due.addLast(s);
            if (due.size() > def.catchUpMax()) {
                due.removeFirst();
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warnf("skipping %d missed schedule slots before %s (KWSYNC_JOB_SCHEDULE_CATCH_UP_MAX=%d)", skipped, due.peekFirst(),
                    def.catchUpMax());
        }
        for (LocalDateTime slot : due) {
            RunStatus run;
            try {
                run = log.publish(runs.scheduled(slot));
                LOG.infof("slot %s: queued run %s with %s", slot, run.id(), run.parameters());
            } catch (ExpressionException e) {
                run = log.publish(runs.unschedulable(slot, e.getMessage()));
                LOG.errorf("slot %s: run %s failed: its parameters cannot be computed: %s", slot, run.id(), e.getMessage());
            }
            log.publishSlot(slot.toString());
        }
    }

    private void fireDueRetries() {
        long now = clock.millis();
        for (RunStatus failed : log.runs()) {
            if (failed.state() != RunStatus.State.FAILED || failed.retryAt() == null || failed.retriedBy() != null
                    || failed.retryAt() > now) {
                continue;
            }
            String retryId = log.runs().stream().filter(r -> failed.id().equals(r.retryOf())
                            && r.trigger() == RunStatus.Trigger.RETRY).map(RunStatus::id).findFirst()
                    .orElseGet(() -> log.publish(runs.retry(failed)).id());
            RunStatus.Builder b = failed.toBuilder();
            b.retriedBy = retryId;
            log.publish(b.build());
            LOG.infof("run %s failed; rerun %d of %d is %s", failed.id(), failed.attempt(), def.rerunTimes(), retryId);
        }
    }
}
