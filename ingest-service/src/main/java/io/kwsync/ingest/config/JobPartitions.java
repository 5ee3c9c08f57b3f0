package io.kwsync.ingest.config;

import io.kwsync.ingest.route.TableTemplate;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A window job with value columns (KWSYNC_PARTITION_FIELDS): each row's partition is the run's own
 * (KWSYNC_JOB_DESTINATION_PARTITION) followed by the record's value columns, so the two must name different columns,
 * and the job's table must be one table, not a routing template.
 */
final class JobPartitions {

    /** A column name before '=' in a partition spec template such as {@code ds=${partition},hh=${hour}}. */
    private static final Pattern COLUMN = Pattern.compile("(?:^|,)\\s*([A-Za-z][A-Za-z0-9_]*)\\s*=");

    private JobPartitions() {
    }

    static void check(JobDefinition job, RecordSettings record, InvalidConfigurationException.Collector problems) {
        record.partitioner().filter(p -> p.readsRecord() && p.valuesOnly()).ifPresent(p -> {
            // a routed run replaces its one partition in every table it reaches; value columns would make that a set
            // of partitions per table, which neither the run's result nor the sink's replacement models
            problems.check(!TableTemplate.isTemplate(job.table()), "kwsync.partition.fields", "cannot be combined in a"
                    + " window job with a routing template in KWSYNC_DESTINATION_TABLE: use one or the other");
            if (job.destinationPartition() == null) return;
            Matcher m = COLUMN.matcher(job.destinationPartition().toString());
            while (m.find()) {
                String column = m.group(1);
                boolean both = p.columns().stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT)));
                problems.check(!both, "kwsync.partition.fields", "names column " + column + ", which"
                        + " KWSYNC_JOB_DESTINATION_PARTITION already gives the run: a value column must be another column");
            }
        });
    }
}
