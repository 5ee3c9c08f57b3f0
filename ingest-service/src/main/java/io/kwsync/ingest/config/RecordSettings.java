package io.kwsync.ingest.config;

import io.kwsync.ingest.config.IngestConfig.Layout;
import io.kwsync.ingest.convert.KeyValueMapper.Format;
import io.kwsync.ingest.convert.KeyValueMapper.Mode;
import io.kwsync.ingest.partition.RecordPartitioner;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.util.Optional;

/**
 * The record layout and partitioning settings with their defaults resolved: mode and format only mean something
 * for the key-value layout, and time partitions default to hourly there (the MaxCompute connector's default) and to
 * none for json-columns ({@link PartitionSettings}).
 */
public record RecordSettings(Layout layout, Mode mode, Format format, Optional<RecordPartitioner> partitioner) {

    static final String MODE = "kwsync.record.mode";
    static final String FORMAT = "kwsync.record.format";

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
        Optional<RecordPartitioner> partitioner = PartitionSettings.of(c.partition(), r.layout(), problems);
        ok &= partitioner != null;
        return ok ? new RecordSettings(r.layout(), r.mode().orElse(Mode.DEFAULT), r.format().orElse(Format.TEXT), partitioner)
                : null;
    }

    /** Whether partition values come from the record (KWSYNC_PARTITION_FIELDS, KWSYNC_PARTITION_TIME_FIELD). */
    public boolean valueColumns() {
        return partitioner.filter(RecordPartitioner::readsRecord).isPresent();
    }

    private static boolean check(InvalidConfigurationException.Collector problems, boolean ok, String property, String message) {
        problems.check(ok, property, message);
        return ok;
    }
}
