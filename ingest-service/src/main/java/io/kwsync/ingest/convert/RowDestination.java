package io.kwsync.ingest.convert;

import io.kwsync.ingest.partition.RecordPartitioner;
import io.kwsync.model.Destination;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;

import java.util.Map;

/**
 * Where one source record's row goes: a fixed table, partitioned or not. The partition may depend on the record's
 * timestamp, key, headers and value ({@link RecordPartitioner}).
 */
@FunctionalInterface
public interface RowDestination {

    /**
     * @param value the record's value bytes, as received
     * @throws DirtyRecordException when the record's partition cannot be chosen
     */
    Destination of(Origin origin, byte[] value);

    static RowDestination fixed(String table) {
        return fixed(Destination.table(table));
    }

    static RowDestination fixed(Destination d) {
        return (origin, value) -> d;
    }

    /**
     * Partitions chosen per record. The last destination is reused while the partitioner returns the same spec, as it
     * does for records of the same period when partitions come from the time alone.
     */
    static RowDestination partitioned(String table, RecordPartitioner partitioner) {
        record Last(Map<String, String> spec, Destination destination) {
        }
        return new RowDestination() {
            private volatile Last last = new Last(null, null);

            @Override
            public Destination of(Origin origin, byte[] value) {
                Map<String, String> spec = partitioner.partition(origin, value);
                Last l = last;
                if (l.spec == spec) return l.destination;
                l = new Last(spec, new Destination(table, spec));
                last = l;
                return l.destination;
            }
        };
    }
}
