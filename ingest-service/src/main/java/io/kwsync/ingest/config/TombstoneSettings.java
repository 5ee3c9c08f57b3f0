package io.kwsync.ingest.config;

import io.kwsync.ingest.convert.TombstoneMapper.Policy;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * KWSYNC_TOMBSTONE read and checked at start: a known value, and one that fits the rest of the configuration. Deletes
 * need rows with a primary key, which only the json-columns layout gives (the key-value layout writes the record's
 * coordinates, key and value, never a key column); change-event formats decide about their tombstones themselves.
 */
final class TombstoneSettings {

    static final String PROPERTY = "kwsync.tombstone";

    private TombstoneSettings() {
    }

    /** The policy, or null after adding the problem to {@code problems}. */
    static Policy read(String text, IngestConfig.Layout layout, boolean changeEvents, InvalidConfigurationException.Collector problems) {
        Policy policy;
        try {
            policy = Policy.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.problem(PROPERTY, "'" + text + "' is not a choice: use one of "
                    + Arrays.stream(Policy.values()).map(Policy::text).collect(Collectors.joining(", ")));
            return null;
        }
        if (policy != Policy.ROW && changeEvents) {
            problems.problem(PROPERTY, "applies to plain topics; a change-event KWSYNC_VALUE_FORMAT skips tombstones itself"
                    + " (its deletes are change events): leave KWSYNC_TOMBSTONE unset");
            return null;
        }
        if (policy == Policy.DELETE && layout != IngestConfig.Layout.JSON_COLUMNS) {
            problems.problem(PROPERTY, "set to delete needs KWSYNC_RECORD_LAYOUT=json-columns: the key-value layout has no primary-key"
                    + " columns to delete by");
            return null;
        }
        return policy;
    }
}
