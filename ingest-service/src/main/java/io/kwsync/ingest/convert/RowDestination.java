package io.kwsync.ingest.convert;

import io.kwsync.model.Destination;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.ingest.partition.TimePartitioner;

import java.util.Map;

/** Where one source record's row goes: a fixed table, time-partitioned by the record's own timestamp or not. */
@FunctionalInterface
public interface RowDestination {

    Destination of(Origin origin);

    static RowDestination fixed(String table) {
        return fixed(Destination.table(table));
    }

    static RowDestination fixed(Destination d) {
        return origin -> d;
    }

    /**
     * Partitions from the record timestamp. A record without a timestamp (-1, from a pre-0.10 producer) cannot be
     * placed and is dirty. The last destination is reused while records stay in the same period.
     */
    static RowDestination timePartitioned(String table, TimePartitioner partitioner) {
        record Last(Map<String, String> spec, Destination destination) {
        }
        return new RowDestination() {
            private volatile Last last = new Last(null, null);

            @Override
            public Destination of(Origin origin) {
                if (origin.timestamp() < 0) {
                    throw new DirtyRecordException(DirtyRecordException.Stage.MAP,
                            "record has no timestamp, so its time partition cannot be chosen");
                }
                Map<String, String> spec = partitioner.partition(origin.timestamp());
                Last l = last;
                if (l.spec == spec) return l.destination; // the partitioner returns the same map within a period
                l = new Last(spec, new Destination(table, spec));
                last = l;
                return l.destination;
            }
        };
    }
}
