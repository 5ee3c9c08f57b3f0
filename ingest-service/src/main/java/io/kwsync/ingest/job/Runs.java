package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobControl;
import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.ParameterExpression;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Creates runs: from a schedule slot, from an HTTP request, as a rerun or an automatic retry of another run. */
final class Runs {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** What the job's kind refuses in a request ({@link JobKind#checkRequest}). */
    interface RequestCheck {
        void check(Map<String, String> values, Clock clock, boolean allowEmpty);
    }

    private final JobControl def;
    private final RequestCheck check;
    private final Set<String> known;
    private final Clock clock;
    /**
     * Per instance, not static: a native build initialises classes at build time, and a static SecureRandom would
     * be seeded once there and baked into the executable (GraalVM refuses such an image).
     */
    private final SecureRandom random = new SecureRandom();

    /** @param known the parameters a request may give, null for any */
    Runs(JobControl def, RequestCheck check, Set<String> known, Clock clock) {
        this.def = def;
        this.check = check;
        this.known = known;
        this.clock = clock;
    }

    /** The runs of a window job. */
    Runs(JobDefinition def, Clock clock) {
        this(def.control(), (values, c, allowEmpty) -> WindowJob.checkRequest(def, values, c, allowEmpty), def.knownParameters(), clock);
    }

    /** Run ids sort by scheduled time and are safe in URLs and SQL names: 20221122101500-1-3fa2c9. */
    String newId(LocalDateTime scheduled, int attempt) {
        byte[] r = new byte[3];
        random.nextBytes(r);
        return ID_TIME.format(scheduled) + "-" + attempt + "-" + HexFormat.of().formatHex(r);
    }

    LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(def.zone())).withNano(0);
    }

    /** @throws ExpressionException when the slot's values cannot be computed (e.g. a date outside years 1-9999) */
    RunStatus scheduled(LocalDateTime slot) {
        return queued(RunStatus.Trigger.SCHEDULE, slot, def.parameters().evaluate(slot, def.name()), 1, null);
    }

    /**
     * A scheduled slot whose parameter values cannot be computed: recorded as a FAILED run with the reason (no rerun
     * can compute them either), so the schedule moves on to the next slot instead of retrying this one for ever.
     */
    RunStatus unschedulable(LocalDateTime slot, String reason) {
        RunStatus.Builder b = queued(RunStatus.Trigger.SCHEDULE, slot, Map.of(), 1, null).toBuilder();
        b.state = RunStatus.State.FAILED;
        b.error = "invalid run parameters: " + reason;
        b.retriable = false;
        b.finishedAt = clock.millis();
        return b.build();
    }

    /** A run requested over HTTP that may not replace its partitions with nothing. */
    RunStatus requested(Map<String, String> explicit, String scheduledTime) {
        return requested(explicit, scheduledTime, false);
    }

    /**
     * A run requested over HTTP: the job's parameter definitions evaluated at {@code scheduledTime} (default now),
     * overridden by {@code explicit} values, which may be constants or expressions themselves. Only the job's
     * parameters may be given, when its kind knows them ({@link JobKind#knownParameters()}).
     *
     * @param allowEmpty the request says the run may replace its partitions with nothing (an empty window, or a window
     *                   without records): without it both are refused, the empty window here and the rest by the sink
     * @throws ExpressionException when the values do not make a valid run (for a window job: a valid window)
     */
    RunStatus requested(Map<String, String> explicit, String scheduledTime, boolean allowEmpty) {
        if (explicit != null && known != null) {
            Set<String> unknown = new TreeSet<>(explicit.keySet());
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                throw new ExpressionException((unknown.size() == 1 ? "unknown parameter " : "unknown parameters ")
                        + String.join(", ", unknown.stream().map(n -> "'" + n + "'").toList()) + ": the job " + def.name()
                        + " knows " + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
        LocalDateTime t;
        try {
            t = scheduledTime == null || scheduledTime.isBlank() ? now() : LocalDateTime.parse(scheduledTime.strip());
        } catch (DateTimeParseException e) {
            throw new ExpressionException("scheduledTime '" + scheduledTime + "' is not a local date-time like 2022-11-22T10:05:00");
        }
        Map<String, String> values = new LinkedHashMap<>(def.parameters().evaluate(t, def.name()));
        if (explicit != null) explicit.forEach((k, v) -> {
            if (v == null) throw new ExpressionException("parameter '" + k + "' has no value");
            values.put(k, ParameterExpression.parse(v).evaluate(t, def.name()));
        });
        check.check(values, clock, allowEmpty); // refuse a bad request now rather than fail the run later
        return queued(RunStatus.Trigger.API, t, values, 1, null, allowEmpty);
    }

    /** The same window again, on request, with the same permission to empty its partitions. */
    RunStatus rerun(RunStatus of) {
        return queued(RunStatus.Trigger.RERUN, LocalDateTime.parse(of.scheduledTime()), of.parameters(), 1, of.id(),
                of.emptyAllowed());
    }

    /** The rerun policy's next attempt of a failed run. */
    RunStatus retry(RunStatus failed) {
        return queued(RunStatus.Trigger.RETRY, LocalDateTime.parse(failed.scheduledTime()), failed.parameters(),
                failed.attempt() + 1, failed.id(), failed.emptyAllowed());
    }

    private RunStatus queued(RunStatus.Trigger trigger, LocalDateTime scheduled, Map<String, String> values, int attempt, String of) {
        return queued(trigger, scheduled, values, attempt, of, false);
    }

    private RunStatus queued(RunStatus.Trigger trigger, LocalDateTime scheduled, Map<String, String> values, int attempt, String of,
                             boolean allowEmpty) {
        RunStatus.Builder b = new RunStatus.Builder();
        b.id = newId(scheduled, attempt);
        b.state = RunStatus.State.QUEUED;
        b.trigger = trigger;
        b.scheduledTime = scheduled.toString();
        b.parameters = values;
        b.attempt = attempt;
        b.retryOf = of;
        b.allowEmpty = allowEmpty ? Boolean.TRUE : null;
        b.createdAt = clock.millis();
        return b.build();
    }
}
