package io.kwsync.ingest.config;

import io.kwsync.ingest.config.IngestConfig.Granularity;
import io.kwsync.ingest.config.IngestConfig.Layout;
import io.kwsync.ingest.partition.EventTime;
import io.kwsync.ingest.partition.PartitionField;
import io.kwsync.ingest.partition.RecordPartitioner;
import io.kwsync.ingest.partition.TimePartitioner;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the KWSYNC_PARTITION_* settings into the {@link RecordPartitioner} they describe, with every problem named
 * by its variable. Columns named in KWSYNC_PARTITION_FIELDS take a value of the record; the others take the time
 * (the record timestamp, or KWSYNC_PARTITION_TIME_FIELD), formatted by one KWSYNC_PARTITION_PATTERNS entry each.
 * Without KWSYNC_PARTITION_FIELDS and with granularity none, rows are not partitioned, as before.
 */
final class PartitionSettings {

    static final String GRANULARITY = "kwsync.partition.granularity";
    static final String ZONE = "kwsync.partition.time-zone";
    static final String COLUMNS = "kwsync.partition.columns";
    static final String PATTERNS = "kwsync.partition.patterns";
    static final String FIELDS = "kwsync.partition.fields";
    static final String TIME_FIELD = "kwsync.partition.time-field";
    static final String TIME_FORMAT = "kwsync.partition.time-format";
    static final String DEFAULT = "kwsync.partition.default";

    /** The variable each kind of time-partitioning problem belongs to. */
    private static final Map<TimePartitioner.Setting, String> TIME_PROPERTIES = Map.of(
            TimePartitioner.Setting.ZONE, ZONE,
            TimePartitioner.Setting.COLUMNS, COLUMNS,
            TimePartitioner.Setting.PATTERNS, PATTERNS);

    private PartitionSettings() {
    }

    /** The partitioner (empty for unpartitioned rows), or null after adding every problem to {@code problems}. */
    static Optional<RecordPartitioner> of(IngestConfig.Partition p, Layout layout, InvalidConfigurationException.Collector problems) {
        int before = problemCount(problems);
        Map<String, PartitionField> values = values(p, problems);
        List<String> timeColumns = p.columns().stream().filter(c -> !values.containsKey(c)).toList();
        Granularity g = p.granularity().orElse(layout == Layout.KEY_VALUE ? Granularity.HOUR : Granularity.NONE);
        boolean timed = g != Granularity.NONE && !timeColumns.isEmpty();
        if (!values.isEmpty() && timeColumns.isEmpty()) {
            problems.check(p.granularity().filter(x -> x != Granularity.NONE).isEmpty(), GRANULARITY,
                    "applies only when a partition column takes the time, but every column of KWSYNC_PARTITION_COLUMNS"
                            + " is named in KWSYNC_PARTITION_FIELDS");
        }
        if (!values.isEmpty() && g == Granularity.NONE && !timeColumns.isEmpty()) {
            problems.problem(GRANULARITY, "is none, but partition columns " + timeColumns + " take the time (they are not"
                    + " named in KWSYNC_PARTITION_FIELDS): set day, hour or minute, or name them in KWSYNC_PARTITION_FIELDS");
        }
        String needsTime = "applies only when a partition column takes the time (KWSYNC_PARTITION_GRANULARITY day, hour"
                + " or minute, and a column of KWSYNC_PARTITION_COLUMNS not named in KWSYNC_PARTITION_FIELDS)";
        problems.check(timed || p.patterns().isEmpty(), PATTERNS, needsTime);
        problems.check(timed || p.timeField().isEmpty(), TIME_FIELD, needsTime);
        problems.check(timed || p.timeFormat().isEmpty(), TIME_FORMAT, needsTime);
        if (!timed && values.isEmpty()) {
            problems.check(p.fallback().isEmpty(), DEFAULT, "applies only to partitioned rows (KWSYNC_PARTITION_GRANULARITY"
                    + " other than none, or KWSYNC_PARTITION_FIELDS)");
            return problemCount(problems) == before ? Optional.empty() : null;
        }
        for (String c : p.columns()) {
            if (values.containsKey(c)) problems.check(TimePartitioner.validColumn(c), COLUMNS, "'" + c + "' is not a valid column name");
        }
        TimePartitioner times = timed ? times(p, g, timeColumns, problems) : null;
        EventTime time = timed ? time(p, problems) : EventTime.recordTimestamp();
        Optional<Map<String, String>> fallback = p.fallback().map(f -> fallback(f, p.columns(), problems));
        if (problemCount(problems) != before) return null;
        return Optional.of(new RecordPartitioner(p.columns(), values, time, times, fallback));
    }

    /** KWSYNC_PARTITION_FIELDS as column -> field. */
    private static Map<String, PartitionField> values(IngestConfig.Partition p, InvalidConfigurationException.Collector problems) {
        Map<String, PartitionField> values = new LinkedHashMap<>();
        for (String pair : p.fields().orElse(List.of())) {
            int eq = pair.indexOf('=');
            String column = eq < 0 ? "" : pair.substring(0, eq).strip();
            if (column.isEmpty()) {
                problems.problem(FIELDS, "'" + pair + "' is not column=field, e.g. region=value.region");
                continue;
            }
            if (!p.columns().contains(column)) {
                problems.problem(FIELDS, "names column " + column + ", which is not in KWSYNC_PARTITION_COLUMNS " + p.columns());
                continue;
            }
            try {
                if (values.put(column, PartitionField.parse(pair.substring(eq + 1))) != null) {
                    problems.problem(FIELDS, "names column " + column + " twice");
                }
            } catch (IllegalArgumentException e) {
                problems.problem(FIELDS, "for column " + column + ": " + e.getMessage());
            }
        }
        return values;
    }

    private static TimePartitioner times(IngestConfig.Partition p, Granularity g, List<String> columns,
                                         InvalidConfigurationException.Collector problems) {
        TimePartitioner.Granularity granularity = TimePartitioner.Granularity.valueOf(g.name());
        List<String> patterns = p.patterns().orElse(List.of());
        List<TimePartitioner.Problem> found = TimePartitioner.check(granularity, p.timeZone(), columns, patterns);
        boolean mixed = columns.size() != p.columns().size();
        found.forEach(f -> problems.problem(TIME_PROPERTIES.get(f.setting()), f.message()
                + (mixed && f.setting() == TimePartitioner.Setting.PATTERNS
                ? " (one pattern per column that takes the time: " + columns + ")" : "")));
        return found.isEmpty() ? new TimePartitioner(granularity, ZoneId.of(p.timeZone()), columns, patterns) : null;
    }

    private static EventTime time(IngestConfig.Partition p, InvalidConfigurationException.Collector problems) {
        String field = p.timeField().map(String::strip).orElse(EventTime.RECORD_TIMESTAMP);
        if (field.equals(EventTime.RECORD_TIMESTAMP)) {
            problems.check(p.timeFormat().isEmpty(), TIME_FORMAT, "applies only with a KWSYNC_PARTITION_TIME_FIELD: the"
                    + " record timestamp is always epoch milliseconds");
            return EventTime.recordTimestamp();
        }
        PartitionField f;
        try {
            f = PartitionField.parse(field);
        } catch (IllegalArgumentException e) {
            problems.problem(TIME_FIELD, e.getMessage().replace("use value.PATH", "use timestamp, value.PATH"));
            return null;
        }
        try {
            ZoneId zone = ZoneId.of(p.timeZone()); // a bad zone is reported with the time columns
            return EventTime.ofField(f, p.timeFormat().orElse(EventTime.EPOCH_MILLIS), zone);
        } catch (java.time.DateTimeException e) {
            return null;
        } catch (IllegalArgumentException e) {
            problems.problem(TIME_FORMAT, e.getMessage());
            return null;
        }
    }

    /** KWSYNC_PARTITION_DEFAULT: every partition column, in order, with a value MaxCompute accepts. */
    private static Map<String, String> fallback(String text, List<String> columns, InvalidConfigurationException.Collector problems) {
        Map<String, String> spec = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String column = eq < 0 ? "" : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (column.isEmpty() || spec.put(column, value) != null) {
                problems.problem(DEFAULT, "'" + text + "' is not a partition spec column=value[,column=value] naming each"
                        + " column once, e.g. ds=19700101,region=unknown");
                return null;
            }
            if (!TimePartitioner.validValue(value)) {
                problems.problem(DEFAULT, "value '" + value + "' of column " + column + " is not a valid MaxCompute"
                        + " partition value (" + TimePartitioner.VALUE_RULE + ")");
            }
        }
        problems.check(new ArrayList<>(spec.keySet()).equals(columns), DEFAULT, "names columns " + spec.keySet()
                + "; it must name the partition columns " + columns + ", in that order");
        return spec;
    }

    private static int problemCount(InvalidConfigurationException.Collector problems) {
        return problems.size();
    }
}
