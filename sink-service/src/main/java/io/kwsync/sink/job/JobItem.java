package io.kwsync.sink.job;

import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One record of a window-job run as read from the rows topic: a row, or an end/abort marker. The rows-topic partition
 * and offset travel with it: markers are counted per rows partition, and the offset makes a redelivered record
 * recognisable.
 */
public sealed interface JobItem {

    String runId();

    int rowsPartition();

    long rowsOffset();

    /** The items of each run, runs in order of first appearance, each run's items in their order. */
    static Map<String, List<JobItem>> byRun(List<JobItem> items) {
        Map<String, List<JobItem>> byRun = new LinkedHashMap<>();
        for (JobItem i : items) byRun.computeIfAbsent(i.runId(), k -> new ArrayList<>()).add(i);
        return byRun;
    }

    /** Whether the items hold an END marker (of a decided run: a redelivery, whose decision is published again). */
    static boolean hasEnd(List<JobItem> items) {
        return items.stream().anyMatch(i -> i instanceof Marker m && m.marker().kind() == JobMarker.Kind.END);
    }

    /** The destination table the items name: the first row's, else the first END marker's; null when none names one. */
    static String tableOf(List<JobItem> items) {
        for (JobItem i : items) {
            if (i instanceof Row r) return r.row().destination().table();
            if (i instanceof Marker m && m.marker().table() != null) return m.marker().table();
        }
        return null;
    }

    /** The tables the rows among the items name. */
    static Set<String> tablesOf(List<JobItem> items) {
        Set<String> tables = new TreeSet<>();
        for (JobItem i : items) if (i instanceof Row r) tables.add(r.row().destination().table());
        return tables;
    }

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
