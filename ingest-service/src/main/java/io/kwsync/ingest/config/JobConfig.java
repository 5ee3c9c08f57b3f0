package io.kwsync.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The window job of a job-mode deployment (KWSYNC_INGEST_MODE=job). Source topic and destination table are the
 * connector's KWSYNC_SOURCE_TOPICS (exactly one topic) and KWSYNC_DESTINATION_TABLE. Settings that take text may
 * refer to scheduling parameters as ${name}; those are read without configuration-expression expansion
 * ({@link RawSettings}), and {@link JobDefinition} validates everything at start. The accessors of such settings are
 * here for documentation and unknown-key checking only.
 */
@ConfigMapping(prefix = "kwsync.job")
public interface JobConfig {

    /** Read only this partition of the source topic (the Kafka Reader's partition); all partitions when unset. */
    Optional<Integer> sourcePartition();

    /** Window start, inclusive, yyyymmddhhmmss in the job's time zone (the Kafka Reader's beginDateTime). Default ${startTime} unless KWSYNC_JOB_BEGIN_OFFSET is set. */
    Optional<String> beginDateTime();

    /** Window end, exclusive, yyyymmddhhmmss (the Kafka Reader's endDateTime). Default ${endTime} unless KWSYNC_JOB_END_OFFSET is set. */
    Optional<String> endDateTime();

    /** Start by offset instead of time: a number, seekToBeginning, seekToLast (the group's committed offset) or seekToEnd. */
    Optional<String> beginOffset();

    /** End by offset instead of time: a number (exclusive, per partition) or seekToEnd (the end when the run starts). */
    Optional<String> endOffset();

    /** Time zone of window times, schedule and scheduling parameters, e.g. GMT+08:00 or Europe/Berlin. */
    @WithDefault("GMT+08:00")
    String timeZone();

    /**
     * Scheduling parameters: space-separated name=expression pairs, e.g.
     * startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24].
     */
    Optional<String> parameters();

    /** Destination partition the run replaces, column=value[,column=value], e.g. ds=${partition}; none for an unpartitioned table (each run replaces the whole table). */
    Optional<String> destinationPartition();

    /**
     * Where records whose timestamp is before the window start go, e.g. ds=${partition}_late; replaced together with the
     * main partition. Unset: into the run's partition.
     */
    Optional<String> latePartition();

    /** Skip records inside the window's offsets whose timestamp lies outside [begin, end) (the Kafka Reader's skipExceedRecord). */
    @WithDefault("false")
    boolean skipExceedRecord();

    /** When a run stops reading: end-offset (at the window's end position; default, safe) or idle (when no record arrived for KWSYNC_JOB_IDLE_TIMEOUT). */
    @WithDefault("end-offset")
    Completion completion();

    /** Silence after which an idle-completion run stops (DataWorks' "no new data for 1 minute" completion). */
    @WithDefault("1m")
    Duration idleTimeout();

    /** Where each partition starts: window (the window's begin) or previous-run (where the previous successful run ended, so late records are not lost). */
    @WithDefault("window")
    Start start();

    /** Schedule cycle: none (runs only on request), minute, hour, day, week or month. */
    @WithDefault("none")
    Cycle schedule();

    /** Start time (minute/hour cycles) or run-at time (day/week/month), hh:mm. */
    @WithDefault("00:00")
    String scheduleStart();

    /** Minutes (minute cycle) or hours (hour cycle) between runs. */
    @WithDefault("1")
    int scheduleInterval();

    /** Last slot of the day for minute and hour cycles, hh:mm. */
    @WithDefault("23:59")
    String scheduleEnd();

    /** Week cycle: days like MONDAY,THURSDAY; month cycle: days of month like 1,15 and L for the last day. */
    Optional<String> scheduleDays();

    /** After a downtime, at most this many missed slots are run (oldest first); older ones are skipped and logged. */
    @WithDefault("100")
    int scheduleCatchUpMax();

    /** Automatic reruns of a failed run (DataWorks recommends 3). */
    @WithDefault("3")
    int rerunTimes();

    /** Pause before a rerun (DataWorks recommends 2 minutes). */
    @WithDefault("2m")
    Duration rerunInterval();

    /** Longest a run may take from start to the sink's commit; then it is aborted and fails. */
    @WithDefault("1h")
    Duration timeout();

    /** Compacted topic holding runs, results and the schedule position. Default: connect-status-NAME. */
    Optional<String> statusTopic();

    enum Completion {
        END_OFFSET, IDLE
    }

    enum Start {
        WINDOW, PREVIOUS_RUN
    }

    enum Cycle {
        NONE, MINUTE, HOUR, DAY, WEEK, MONTH
    }
}
