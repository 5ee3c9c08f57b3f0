package io.kwsync.ingest.pipeline;

import io.kwsync.model.Destination;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.TimePartitioner;

import java.util.Map;

/** Where one source record's row goes: a fixed table, time-partitioned by the record's own timestamp or not. */
@FunctionalInterface
public interface RowDestination {

    Destination of(Origin origin);

    static RowDestination fixed(String table) {
        Destination d = Destination.table(table);
        return origin -> d;
    }

    /**
     * Partitions from the record timestamp. A record without a timestamp (-1, from a pre-0.10 producer) cannot be
     * placed and is dirty. The last destination is reused while records stay in the same period.
     */
    static RowDestination timePartitioned(String table, TimePartitioner partitioner) {
        return new RowDestination() {
            private volatile Destination last = Destination.table(table);

            @Override
            public Destination of(Origin origin) {
                if (origin.timestamp() < 0) {
                    throw new DirtyRecordException(DirtyRecordException.Stage.MAP,
                            "record has no timestamp, so its time partition cannot be chosen");
                }
                Map<String, String> spec = partitioner.partition(origin.timestamp());
                Destination d = last;
                if (d.partition().equals(spec)) return d;
                d = new Destination(table, spec);
                last = d;
                return d;
            }
        };
    }
}
