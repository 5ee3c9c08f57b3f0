package io.kwsync.ingest.config;

import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.ParameterDefinitions;
import io.kwsync.ingest.schedule.Schedule;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What every kind of job shares, whatever its runs do (a window job reads a topic window into a table, the Kafka
 * Writer reads a table into a topic): its name, the time zone and scheduling parameters its runs are evaluated in, its
 * schedule, its rerun policy, the longest a run may take and the status topic that holds its runs. Read from the
 * KWSYNC_JOB_* variables by {@link #from}, once, for whichever kind the deployment runs.
 *
 * @param schedule null when the job runs only on request
 */
public record JobControl(String name, ZoneId zone, ParameterDefinitions parameters, Schedule schedule, int catchUpMax,
                         int rerunTimes, Duration rerunInterval, Duration timeout, String statusTopic) {

    /**
     * @param name the connector name (checked with the common settings)
     * @return null when {@code problems} received something; each problem names its variable
     */
    static JobControl from(JobConfig c, String name, Function<String, Optional<String>> raw,
                           InvalidConfigurationException.Collector problems) {
        ZoneId zone = null;
        try {
            zone = ZoneId.of(c.timeZone());
        } catch (DateTimeException e) {
            problems.problem("kwsync.job.time-zone", "'" + c.timeZone() + "' is not a time zone (e.g. GMT+08:00, Asia/Shanghai, UTC)");
        }
        ParameterDefinitions parameters = ParameterDefinitions.NONE;
        try {
            parameters = ParameterDefinitions.parse(raw.apply("kwsync.job.parameters").orElse(""));
        } catch (ExpressionException e) {
            problems.problem("kwsync.job.parameters", e.getMessage());
        }
        problems.check(c.rerunTimes() >= 0 && c.rerunTimes() <= 100, "kwsync.job.rerun-times", "must be 0 to 100");
        problems.check(!c.rerunInterval().isNegative() && !c.rerunInterval().isZero(), "kwsync.job.rerun-interval", "must be positive");
        problems.check(c.timeout().compareTo(Duration.ofSeconds(10)) >= 0, "kwsync.job.timeout", "must be at least 10s");
        problems.check(c.scheduleCatchUpMax() >= 0, "kwsync.job.schedule-catch-up-max", "must be 0 or more");
        Schedule schedule = null;
        if (c.schedule() != JobConfig.Cycle.NONE) {
            try {
                schedule = Schedule.of(Schedule.Cycle.valueOf(c.schedule().name()), c.scheduleStart(), c.scheduleInterval(),
                        c.scheduleEnd(), c.scheduleDays().orElse(null));
            } catch (ExpressionException e) {
                problems.problem("kwsync.job.schedule", "(" + c.schedule().name().toLowerCase(Locale.ROOT) + "): " + e.getMessage()
                        + "; see KWSYNC_JOB_SCHEDULE_START, _INTERVAL, _END and _DAYS");
            }
        }
        if (!problems.isEmpty()) return null;
        return new JobControl(name, zone, parameters, schedule, c.scheduleCatchUpMax(), c.rerunTimes(), c.rerunInterval(),
                c.timeout(), c.statusTopic().filter(s -> !s.isBlank()).orElse("connect-status-" + name));
    }

    /**
     * A scheduled run has only the values KWSYNC_JOB_PARAMETERS defines, so every parameter the job's settings use
     * must be defined there (a run on request may be given the others).
     *
     * @param used the parameter names the job's templates refer to
     * @param example a definition to suggest, e.g. {@code startTime=$[yyyymmddhh24-1/24]0000}
     */
    static void checkScheduledParameters(JobConfig c, ParameterDefinitions parameters, Set<String> used, String example,
                                         InvalidConfigurationException.Collector problems) {
        if (c.schedule() == JobConfig.Cycle.NONE) return;
        Set<String> missing = new LinkedHashSet<>(used);
        missing.removeAll(parameters.expressions().keySet());
        problems.check(missing.isEmpty(), "kwsync.job.parameters", "does not define " + missing
                + ", which the job uses; a scheduled run needs a value for each, e.g. " + example);
    }
}
