package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobConfig;
import io.kwsync.ingest.config.JobDefinition;

/**
 * Which offsets of one source partition a run reads: the rules, without Kafka. Inputs are what the broker reports;
 * the result is [start, end), with end null while unknown (an idle-completion run whose end time has no record yet:
 * the first record at or after the end time ends the partition).
 */
final class OffsetPlan {

    private OffsetPlan() {
    }

    /** One partition as the broker sees it when the run starts. */
    record Broker(long logStart, long logEnd, Long committed, Long beginByTime, Long endByTime) {
    }

    /** How the window's bounds are given: by time, or by offset (number or keyword). */
    record Bounds(boolean beginByTime, JobDefinition.OffsetSpec beginOffset, boolean endByTime,
                  JobDefinition.OffsetSpec endOffset) {
    }

    record Range(long start, Long end) {
    }

    /**
     * @param previous the range a successful run of the same window read (previous-run mode only), or null
     */
    static Range plan(Bounds bounds, JobConfig.Start startMode, JobConfig.Completion completion, Broker b, Range previous) {
        if (startMode == JobConfig.Start.PREVIOUS_RUN && previous != null && previous.end() != null) {
            return previous; // a rerun of a loaded window reads exactly what it read before, so it replaces like for like
        }
        long windowBegin;
        if (bounds.beginByTime()) {
            // no record at or after the begin time yet: everything present is older, the window starts at the end
            windowBegin = b.beginByTime() != null ? b.beginByTime() : b.logEnd();
        } else {
            JobDefinition.OffsetSpec o = bounds.beginOffset();
            windowBegin = o.keyword() == null ? o.offset() : switch (o.keyword()) {
                case "seektobeginning" -> b.logStart();
                case "seektolast" -> b.committed() != null ? b.committed() : b.logStart();
                default -> b.logEnd();
            };
        }
        long start = startMode == JobConfig.Start.PREVIOUS_RUN && b.committed() != null ? b.committed() : windowBegin;
        start = Math.max(b.logStart(), Math.min(start, b.logEnd()));
        Long end;
        if (bounds.endByTime()) {
            end = b.endByTime() != null ? b.endByTime() : completion == JobConfig.Completion.END_OFFSET ? Long.valueOf(b.logEnd()) : null;
        } else {
            JobDefinition.OffsetSpec o = bounds.endOffset();
            end = o.keyword() == null ? o.offset() : b.logEnd();
        }
        if (end != null && end < start) end = start;
        return new Range(start, end);
    }
}
