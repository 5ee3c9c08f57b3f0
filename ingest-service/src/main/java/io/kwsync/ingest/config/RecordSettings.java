package io.kwsync.ingest.config;

import io.kwsync.ingest.config.IngestConfig.Granularity;
import io.kwsync.ingest.config.IngestConfig.Layout;
import io.kwsync.ingest.convert.KeyValueMapper.Format;
import io.kwsync.ingest.convert.KeyValueMapper.Mode;
import io.kwsync.ingest.partition.TimePartitioner;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record layout and time partitioning settings with their defaults resolved: mode and format only mean something
 * for the key-value layout, and partitions default to hourly there (the MaxCompute connector's default) and to none
 * for json-columns.
 */
public record RecordSettings(Layout layout, Mode mode, Format format, Optional<TimePartitioner> partitioner) {

    static final String MODE = "kwsync.record.mode";
    static final String FORMAT = "kwsync.record.format";
    static final String ZONE = "kwsync.partition.time-zone";
    static final String COLUMNS = "kwsync.partition.columns";
    static final String PATTERNS = "kwsync.partition.patterns";

    /** The variable each kind of time-partitioning problem belongs to. */
    private static final Map<TimePartitioner.Setting, String> PARTITION_PROPERTIES = Map.of(
            TimePartitioner.Setting.ZONE, ZONE,
            TimePartitioner.Setting.COLUMNS, COLUMNS,
            TimePartitioner.Setting.PATTERNS, PATTERNS);

    /** The settings, or null after adding every problem to {@code problems}, each naming its variable. */
    static RecordSettings of(IngestConfig c, InvalidConfigurationException.Collector problems) {
        IngestConfig.Record r = c.record();
        boolean ok = true;
        if (r.layout() == Layout.JSON_COLUMNS) {
            ok &= check(problems, r.mode().isEmpty(), MODE, "applies only when KWSYNC_RECORD_LAYOUT is key-value");
            ok &= check(problems, r.format().isEmpty(), FORMAT, "applies only when KWSYNC_RECORD_LAYOUT is key-value");
        } else if (r.format().orElse(Format.TEXT) == Format.CSV && r.mode().orElse(Mode.DEFAULT) == Mode.DEFAULT) {
            ok = check(problems, false, FORMAT, "is csv, which needs KWSYNC_RECORD_MODE (kwsync.record.mode) key or value:"
                    + " the default mode writes both key and value and allows only text or binary");
        }
        Granularity g = c.partition().granularity()
                .orElse(r.layout() == Layout.KEY_VALUE ? Granularity.HOUR : Granularity.NONE);
        IngestConfig.Partition p = c.partition();
        Optional<TimePartitioner> partitioner = Optional.empty();
        if (g == Granularity.NONE) {
            ok &= check(problems, p.patterns().isEmpty(), PATTERNS,
                    "applies only with a KWSYNC_PARTITION_GRANULARITY other than none");
        } else {
            TimePartitioner.Granularity granularity = TimePartitioner.Granularity.valueOf(g.name());
            List<String> patterns = p.patterns().orElse(List.of());
            List<TimePartitioner.Problem> found = TimePartitioner.check(granularity, p.timeZone(), p.columns(), patterns);
            found.forEach(f -> problems.problem(PARTITION_PROPERTIES.get(f.setting()), f.message()));
            if (found.isEmpty()) {
                partitioner = Optional.of(new TimePartitioner(granularity, ZoneId.of(p.timeZone()), p.columns(), patterns));
            }
            ok &= found.isEmpty();
        }
        return ok ? new RecordSettings(r.layout(), r.mode().orElse(Mode.DEFAULT), r.format().orElse(Format.TEXT), partitioner)
                : null;
    }

    private static boolean check(InvalidConfigurationException.Collector problems, boolean ok, String property, String message) {
        problems.check(ok, property, message);
        return ok;
    }
}
