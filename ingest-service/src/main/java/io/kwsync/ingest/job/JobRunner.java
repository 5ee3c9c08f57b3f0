package io.kwsync.ingest.job;

import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The leader's work loop: one run at a time, oldest first, so that runs of a previous-run job continue from each
 * other. On gaining leadership it first settles what the previous leader left: a run it was running is settled by its
 * kind ({@link RunHandler#settle}: a window run is aborted and failed for the rerun policy to repeat), a run it was
 * waiting on is waited for.
 */
final class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final StatusLog log;
    private final Leadership leadership;
    private final RunHandler executor;
    private final JobScheduler scheduler;
    private volatile boolean running = true;
    private final Thread runner = new Thread(this::runLoop, "kwsync-job-runner");
    private final Thread ticker = new Thread(this::tickLoop, "kwsync-job-scheduler");

    JobRunner(StatusLog log, Leadership leadership, RunHandler executor, JobScheduler scheduler) {
        this.log = log;
        this.leadership = leadership;
        this.executor = executor;
        this.scheduler = scheduler;
        runner.setDaemon(true);
        ticker.setDaemon(true);
    }

    void start() {
        runner.start();
        ticker.start();
    }

    boolean alive() {
        return runner.isAlive() && ticker.isAlive();
    }

    private boolean ready() {
        return running && leadership.isLeader() && log.caughtUp();
    }

    private void tickLoop() {
        while (running) {
            try {
                if (ready()) scheduler.tick();
                log.awaitChange(250);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("schedule tick failed; trying again", e);
                pause();
            }
        }
    }

    private void runLoop() {
        long settledTerm = -1;
        while (running) {
            try {
                if (!ready()) {
                    log.awaitChange(500);
                    continue;
                }
                long term = leadership.term();
                BooleanSupplier current = () -> running && leadership.isLeader() && leadership.term() == term;
                if (term != settledTerm) {
                    settleInterrupted();
                    settledTerm = term;
                }
                Optional<RunStatus> loading = oldest(RunStatus.State.LOADING);
                if (loading.isPresent()) {
                    executor.resume(loading.get(), current);
                    continue;
                }
                Optional<RunStatus> queued = oldest(RunStatus.State.QUEUED);
                if (queued.isPresent()) {
                    LOG.infof("starting run %s (%s) with %s", queued.get().id(), queued.get().trigger(), queued.get().parameters());
                    executor.execute(queued.get(), current);
                    continue;
                }
                log.awaitChange(500);
            } catch (Superseded e) {
                LOG.info("leadership moved during a run; the new leader settles it");
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("job runner failed; trying again", e);
                pause();
            }
        }
    }

    /** Runs that were running when their leader went away: their kind decides what they are now (RunHandler#settle). */
    private void settleInterrupted() {
        for (RunStatus r : log.runs()) {
            if (r.state() == RunStatus.State.RUNNING || r.state() == RunStatus.State.WAITING) executor.settle(r);
        }
    }

    private Optional<RunStatus> oldest(RunStatus.State state) {
        List<RunStatus> all = log.runs();
        return all.stream().filter(r -> r.state() == state)
                .min(Comparator.comparingLong(RunStatus::createdAt).thenComparing(RunStatus::id));
    }

    private void pause() {
        try {
            log.awaitChange(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A run in progress notices within one poll, sends its abort markers and stops; its successor settles it. */
    void stop() {
        running = false;
        ticker.interrupt();
        try {
            runner.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
