package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.WindowTime;
import io.kwsync.model.Destination;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The window and destinations of one run, from its parameter values: where it begins and ends (by time or by
 * offset), the partition it replaces, the partition late records go to, and what "the same window" means for a rerun.
 * Pure: no Kafka, no clock.
 *
 * @param begin     null when the window begins at an offset
 * @param end       null when the window ends at an offset
 * @param late      where records older than the window go; null for the main partition
 * @param replaces  the partitions the run replaces: the main one, and the late one when there is one
 * @param windowKey what a rerun of "the same window" means: the partitions it replaces
 */
record RunWindow(String beginText, String endText, Instant begin, Instant end, JobDefinition.OffsetSpec beginOffset,
                 JobDefinition.OffsetSpec endOffset, Destination main, Destination late, List<Destination> replaces,
                 String windowKey) {

    /** A window that must not be empty. */
    static RunWindow resolve(JobDefinition def, Map<String, String> values) {
        return resolve(def, values, false);
    }

    /**
     * @param allowEmpty the run was asked to replace its partitions even with nothing: a window whose end equals its
     *                   begin is then accepted
     * @throws ExpressionException when the parameters do not make a valid window (the run cannot succeed)
     */
    static RunWindow resolve(JobDefinition def, Map<String, String> values, boolean allowEmpty) {
        String beginText = (def.begin().byTime() ? def.begin().dateTime() : def.begin().offset()).render(values).strip();
        String endText = (def.end().byTime() ? def.end().dateTime() : def.end().offset()).render(values).strip();
        Instant begin = def.begin().byTime() ? WindowTime.parse(beginText, def.zone()) : null;
        Instant end = def.end().byTime() ? WindowTime.parse(endText, def.zone()) : null;
        if (begin != null && end != null && end.isBefore(begin)) {
            throw new ExpressionException("the window ends (" + endText + ") before it begins (" + beginText + ")");
        }
        JobDefinition.OffsetSpec beginOffset = def.begin().byTime() ? null : JobDefinition.parseOffset(beginText, true);
        JobDefinition.OffsetSpec endOffset = def.end().byTime() ? null : JobDefinition.parseOffset(endText, false);
        if (beginOffset != null && endOffset != null && beginOffset.keyword() == null && endOffset.keyword() == null
                && endOffset.offset() < beginOffset.offset()) {
            throw new ExpressionException("the window ends at offset " + endText + ", before its begin offset " + beginText);
        }
        boolean empty = begin != null && begin.equals(end) || beginOffset != null && endOffset != null
                && beginOffset.keyword() == null && endOffset.keyword() == null && beginOffset.offset() == endOffset.offset();
        if (empty && !allowEmpty) {
            throw new ExpressionException("the window [" + beginText + ", " + endText + ") is empty (its end equals its begin):"
                    + " a run of it would replace its partitions with nothing. Check the parameters; to empty the partitions"
                    + " on purpose, request the run with \"allowEmpty\": true");
        }
        Destination main = new Destination(def.table(), def.destinationPartition() == null ? Map.of()
                : JobDefinition.partitionSpec(def.destinationPartition().render(values)));
        Destination late = def.latePartition() == null ? null
                : new Destination(def.table(), JobDefinition.partitionSpec(def.latePartition().render(values)));
        if (late != null && late.equals(main)) late = null;
        List<Destination> replaces = late == null ? List.of(main) : List.of(main, late);
        String key = main.partition().isEmpty() ? def.table() + " [" + beginText + ", " + endText + ")"
                : String.join(" + ", replaces.stream().map(Destination::partitionSpec).toList());
        return new RunWindow(beginText, endText, begin, end, beginOffset, endOffset, main, late, replaces, key);
    }

    RunStatus.Window status(String zone) {
        return new RunStatus.Window(beginText, endText, begin == null ? null : begin.toString(),
                end == null ? null : end.toString(), zone);
    }

    /** Where a record read inside the window's offsets stands against the window's times. */
    enum Place {
        /** Inside [begin, end), or the window has no begin time. */
        IN,
        /** Before the begin time: a late record. */
        EARLY,
        /** At or after the end time. */
        AFTER
    }

    Place place(long timestamp) {
        if (begin == null) return Place.IN;
        if (timestamp < begin.toEpochMilli()) return Place.EARLY;
        return end != null && timestamp >= end.toEpochMilli() ? Place.AFTER : Place.IN;
    }
}
