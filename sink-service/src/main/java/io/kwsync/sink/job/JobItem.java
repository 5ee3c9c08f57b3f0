package io.kwsync.sink.job;

import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;

/**
 * One record of a window-job run as read from the rows topic: a row, or an end/abort marker. The rows-topic partition
 * and offset travel with it: markers are counted per rows partition, and the offset makes a redelivered record
 * recognisable.
 */
public sealed interface JobItem {

    String runId();

    int rowsPartition();

    long rowsOffset();

    record Row(int rowsPartition, long rowsOffset, RowEvent row) implements JobItem {
        @Override
        public String runId() {
            return row.jobId();
        }
    }

    record Marker(int rowsPartition, long rowsOffset, JobMarker marker) implements JobItem {
        @Override
        public String runId() {
            return marker.runId();
        }
    }
}
