package io.kwsync.ingest.config;

import io.kwsync.runtime.config.EnvVars;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.ParameterDefinitions;
import io.kwsync.ingest.schedule.Schedule;
import io.kwsync.ingest.schedule.Template;
import io.kwsync.ingest.schedule.WindowTime;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated window job of a job-mode deployment: what to read, how to bound it, where it goes and when it runs.
 * Text settings stay {@link Template}s until a run supplies its parameter values.
 *
 * @param begin where a run starts: a date-time template or an offset template
 * @param destinationPartition partition spec template, null for an unpartitioned table
 * @param latePartition where records older than the window go, null for the run's partition
 * @param schedule null when the job runs only on request
 */
public record JobDefinition(String name, String topic, Integer sourcePartition, String table, Bound begin, Bound end,
                            ZoneId zone, ParameterDefinitions parameters, Template destinationPartition,
                            Template latePartition, boolean skipExceedRecord, JobConfig.Completion completion,
                            Duration idleTimeout, JobConfig.Start start, Schedule schedule, int catchUpMax,
                            int rerunTimes, Duration rerunInterval, Duration timeout, String statusTopic) {

    /** A window bound: by time ({@code yyyymmddhhmmss}) or by offset; exactly one is set. */
    public record Bound(Template dateTime, Template offset) {
        public boolean byTime() {
            return dateTime != null;
        }

        Set<String> references() {
            return (dateTime != null ? dateTime : offset).references();
        }
    }

    /**
     * The parameters a run may be given: those KWSYNC_JOB_PARAMETERS defines and those the job's settings use. A run
     * request naming another is refused, so a misspelt name never runs with the default value instead.
     */
    public Set<String> knownParameters() {
        Set<String> known = new java.util.TreeSet<>(parameters.expressions().keySet());
        known.addAll(begin.references());
        known.addAll(end.references());
        if (destinationPartition != null) known.addAll(destinationPartition.references());
        if (latePartition != null) known.addAll(latePartition.references());
        return known;
    }

    static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    static final Set<String> BEGIN_KEYWORDS = Set.of("seektobeginning", "seektolast", "seektoend");

    /** Null when {@code problems} received something; each problem names its variable. */
    public static JobDefinition from(JobConfig c, IngestConfig ingest, Function<String, Optional<String>> raw,
                                     InvalidConfigurationException.Collector problems) {
        String name = ingest.connector().name().orElse("");
        List<String> topics = ingest.source().topics().orElse(List.of());
        problems.check(topics.size() == 1, "kwsync.source.topics", "must name exactly one topic in job mode (a job reads one topic), got " + topics);
        c.sourcePartition().ifPresent(p -> problems.check(p >= 0, "kwsync.job.source-partition", "must be 0 or more"));
        Bound begin = bound(raw.apply("kwsync.job.begin-date-time").orElse(null), raw.apply("kwsync.job.begin-offset").orElse(null),
                "${startTime}", "begin", problems);
        Bound end = bound(raw.apply("kwsync.job.end-date-time").orElse(null), raw.apply("kwsync.job.end-offset").orElse(null),
                "${endTime}", "end", problems);
        JobControl control = JobControl.from(c, name, raw, problems);
        Template destination = null;
        String spec = raw.apply("kwsync.job.destination-partition").orElse("");
        if (spec.isBlank()) {
            problems.problem("kwsync.job.destination-partition", "is required in job mode: the partition each run replaces, "
                    + "e.g. ds=${partition}, or none for an unpartitioned table (each run then replaces the whole table)");
        } else if (!spec.strip().equalsIgnoreCase("none")) {
            destination = partitionTemplate(spec, "kwsync.job.destination-partition", problems);
        }
        Template late = raw.apply("kwsync.job.late-partition")
                .map(s -> partitionTemplate(s, "kwsync.job.late-partition", problems)).orElse(null);
        if (late != null && destination == null) {
            problems.problem("kwsync.job.late-partition", "needs a partitioned destination (KWSYNC_JOB_DESTINATION_PARTITION)");
        }
        problems.check(!(c.skipExceedRecord() && c.start() == JobConfig.Start.PREVIOUS_RUN), "kwsync.job.skip-exceed-record",
                "cannot be true with KWSYNC_JOB_START=previous-run, which loads records older than the window on purpose");
        problems.check(c.idleTimeout().compareTo(Duration.ofSeconds(1)) >= 0, "kwsync.job.idle-timeout", "must be at least 1s");
        Set<String> used = new LinkedHashSet<>();
        if (begin != null) used.addAll(begin.references());
        if (end != null) used.addAll(end.references());
        if (destination != null) used.addAll(destination.references());
        if (late != null) used.addAll(late.references());
        JobControl.checkScheduledParameters(c, control == null ? ParameterDefinitions.NONE : control.parameters(), used,
                "startTime=$[yyyymmddhh24-1/24]0000", problems);
        if (begin != null && end != null && control != null) checkWindow(begin, end, control.parameters(), name, problems);
        if (!problems.isEmpty()) return null;
        // as written: a routing template is not a configuration expression
        String table = raw.apply(RouteSettings.TABLE).map(String::strip).orElseThrow();
        return new JobDefinition(name, topics.get(0), c.sourcePartition().orElse(null), table,
                begin, end, control.zone(), control.parameters(), destination, late, c.skipExceedRecord(), c.completion(),
                c.idleTimeout(), c.start(), control.schedule(), control.catchUpMax(), control.rerunTimes(),
                control.rerunInterval(), control.timeout(), control.statusTopic());
    }

    /** The part the job machinery (schedule, runs, reruns, status topic) uses, shared with the other job kinds. */
    public JobControl control() {
        return new JobControl(name, zone, parameters, schedule, catchUpMax, rerunTimes, rerunInterval, timeout, statusTopic);
    }

    private static Bound bound(String dateTime, String offset, String defaultDateTime, String which,
                               InvalidConfigurationException.Collector problems) {
        String timeVar = "kwsync.job." + which + "-date-time";
        String offsetVar = "kwsync.job." + which + "-offset";
        boolean hasTime = dateTime != null && !dateTime.isBlank();
        boolean hasOffset = offset != null && !offset.isBlank();
        if (hasTime && hasOffset) {
            problems.problem(offsetVar, "and " + EnvVars.of(timeVar) + " are both set; a window " + which + "s either at a time or at an offset");
            return null;
        }
        try {
            if (hasOffset) {
                Template t = Template.parse(offset.strip());
                if (t.references().isEmpty()) parseOffset(t.render(Map.of()), which.equals("begin"));
                return new Bound(null, t);
            }
            Template t = Template.parse(hasTime ? dateTime.strip() : defaultDateTime);
            if (t.references().isEmpty()) WindowTime.parseLocal(t.render(Map.of()));
            return new Bound(t, null);
        } catch (ExpressionException e) {
            problems.problem(hasOffset ? offsetVar : timeVar, e.getMessage());
            return null;
        }
    }

    /**
     * A window the settings fix can be checked now: constant offsets or times whose end is not after their begin, and
     * parameter definitions that give such a window at every slot (they are offsets from the slot, so one slot tells),
     * would make every run fail, or read nothing and empty its partition.
     */
    private static void checkWindow(Bound begin, Bound end, ParameterDefinitions parameters, String job,
                                    InvalidConfigurationException.Collector problems) {
        if (begin.byTime() != end.byTime()) return; // a time against an offset: only the broker can compare them
        String variable = begin.byTime() ? "kwsync.job.end-date-time" : "kwsync.job.end-offset";
        boolean fixed = begin.references().isEmpty() && end.references().isEmpty();
        Map<String, String> values;
        try {
            values = fixed ? Map.of() : parameters.evaluate(REFERENCE_SLOT, job);
        } catch (ExpressionException e) {
            return; // reported for the slot it happens at
        }
        Template b = begin.byTime() ? begin.dateTime() : begin.offset();
        Template e = end.byTime() ? end.dateTime() : end.offset();
        if (!values.keySet().containsAll(b.references()) || !values.keySet().containsAll(e.references())) return;
        String from = b.render(values).strip();
        String to = e.render(values).strip();
        int order;
        try {
            if (begin.byTime()) {
                order = WindowTime.parseLocal(to).compareTo(WindowTime.parseLocal(from));
            } else {
                OffsetSpec f = parseOffset(from, true);
                OffsetSpec t = parseOffset(to, false);
                if (f.keyword() != null || t.keyword() != null) return;
                order = Long.compare(t.offset(), f.offset());
            }
        } catch (ExpressionException ex) {
            return; // the value's own problem is reported where it is parsed
        }
        if (order > 0) return;
        String what = (order == 0 ? "equals" : "is before") + " the window's begin (" + from + " and " + to + ")";
        problems.problem(fixed ? variable : "kwsync.job.parameters", (fixed ? "" : "gives windows whose end ") + what
                + (fixed ? ": every run would read nothing" : ": runs with these values would be refused")
                + (order == 0 ? " and could empty the partition it replaces" : ""));
    }

    /** Any slot: parameter values are offsets from it. */
    private static final java.time.LocalDateTime REFERENCE_SLOT = java.time.LocalDateTime.of(2022, 11, 22, 10, 15);

    /** A begin/end offset setting: a number, or a keyword (begin: seekToBeginning, seekToLast, seekToEnd; end: seekToEnd). */
    public static OffsetSpec parseOffset(String text, boolean begin) {
        String t = text.strip();
        if (t.matches("\\d{1,18}")) return new OffsetSpec(Long.parseLong(t), null);
        String k = t.toLowerCase(Locale.ROOT);
        if (begin ? BEGIN_KEYWORDS.contains(k) : k.equals("seektoend")) return new OffsetSpec(-1, k);
        throw new ExpressionException("'" + text + "' is not an offset: use a number" + (begin
                ? ", seekToBeginning, seekToLast (the group's committed offset) or seekToEnd" : " or seekToEnd"));
    }

    /** An offset bound: a number, or one of the keywords (lower case). */
    public record OffsetSpec(long offset, String keyword) {
    }

    private static Template partitionTemplate(String text, String property, InvalidConfigurationException.Collector problems) {
        try {
            Template t = Template.parse(text.strip());
            if (t.references().isEmpty()) partitionSpec(t.render(Map.of()));
            return t;
        } catch (ExpressionException e) {
            problems.problem(property, e.getMessage());
            return null;
        }
    }

    /** {@code ds=20221122,hh=10} -> ordered column -> value. */
    public static Map<String, String> partitionSpec(String text) {
        Map<String, String> spec = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String column = eq < 0 ? "" : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (!COLUMN.matcher(column).matches() || value.isEmpty()) {
                throw new ExpressionException("'" + text + "' is not a partition spec column=value[,column=value], e.g. ds=20221122");
            }
            if (spec.put(column, value) != null) throw new ExpressionException("'" + text + "' names column " + column + " twice");
        }
        return spec;
    }
}
