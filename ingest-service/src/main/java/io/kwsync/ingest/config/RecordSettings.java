package io.kwsync.ingest.config;

import io.kwsync.ingest.config.IngestConfig.Format;
import io.kwsync.ingest.config.IngestConfig.Granularity;
import io.kwsync.ingest.config.IngestConfig.Layout;
import io.kwsync.ingest.config.IngestConfig.Mode;
import io.kwsync.ingest.partition.TimePartitioner;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The record layout and time partitioning settings with their defaults resolved: mode and format only mean something
 * for the key-value layout, and partitions default to hourly there (the MaxCompute connector's default) and to none
 * for json-columns.
 */
public record RecordSettings(Layout layout, Mode mode, Format format, Optional<TimePartitioner> partitioner) {

    static final String LAYOUT = "kwsync.record.layout";
    static final String MODE = "kwsync.record.mode";
    static final String FORMAT = "kwsync.record.format";
    static final String GRANULARITY = "kwsync.partition.granularity";
    static final String ZONE = "kwsync.partition.time-zone";
    static final String COLUMNS = "kwsync.partition.columns";
    static final String PATTERNS = "kwsync.partition.patterns";

    /** Builds the settings of a configuration that passed {@link #check}. */
    public static RecordSettings of(IngestConfig c) {
        IngestConfig.Record r = c.record();
        Granularity g = granularity(c);
        Optional<TimePartitioner> partitioner = g == Granularity.NONE ? Optional.empty()
                : Optional.of(new TimePartitioner(TimePartitioner.Granularity.valueOf(g.name()),
                ZoneId.of(c.partition().timeZone()), c.partition().columns(), c.partition().patterns().orElse(List.of())));
        return new RecordSettings(r.layout(), r.mode().orElse(Mode.DEFAULT), r.format().orElse(Format.TEXT), partitioner);
    }

    static Granularity granularity(IngestConfig c) {
        return c.partition().granularity()
                .orElse(c.record().layout() == Layout.KEY_VALUE ? Granularity.HOUR : Granularity.NONE);
    }

    /** Adds every problem of the layout and partition settings, each naming its variable. */
    static void check(IngestConfig c, InvalidConfigurationException.Collector problems) {
        IngestConfig.Record r = c.record();
        if (r.layout() == Layout.JSON_COLUMNS) {
            problems.check(r.mode().isEmpty(), MODE, "applies only when KWSYNC_RECORD_LAYOUT is key-value");
            problems.check(r.format().isEmpty(), FORMAT, "applies only when KWSYNC_RECORD_LAYOUT is key-value");
        } else if (r.format().orElse(Format.TEXT) == Format.CSV && r.mode().orElse(Mode.DEFAULT) == Mode.DEFAULT) {
            problems.problem(FORMAT, "is csv, which needs KWSYNC_RECORD_MODE (kwsync.record.mode) key or value:"
                    + " the default mode writes both key and value and allows only text or binary");
        }
        Granularity g = granularity(c);
        IngestConfig.Partition p = c.partition();
        if (g == Granularity.NONE) {
            problems.check(p.patterns().isEmpty(), PATTERNS, "applies only with a KWSYNC_PARTITION_GRANULARITY other than none");
            return;
        }
        List<String> found = TimePartitioner.problems(TimePartitioner.Granularity.valueOf(g.name()), p.timeZone(),
                p.columns(), p.patterns().orElse(List.of()));
        for (String f : found) {
            String lower = f.toLowerCase(Locale.ROOT);
            String property = lower.contains("time zone") ? ZONE
                    : lower.contains("column name") || lower.contains("columns repeat") || lower.contains("at least one") ? COLUMNS
                    : PATTERNS;
            problems.problem(property, f);
        }
    }
}
