package io.kwsync.ingest.route;

import io.kwsync.ingest.convert.RecordMapper;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;

/**
 * A record mapper with per-record routing: the record is routed first (a record that cannot be routed costs no
 * mapping), then mapped by the configured mapper, and its row addressed to the routed table. The time partition the
 * mapper chose is kept: partitions are per table, with the same columns and granularity for every table.
 */
public final class RoutedMapper implements RecordMapper {

    private final RecordMapper mapper;
    private final TableRouter router;

    public RoutedMapper(RecordMapper mapper, TableRouter router) {
        this.mapper = mapper;
        this.router = router;
    }

    @Override
    public RowEvent map(Origin origin, byte[] value) {
        String table = router.table(origin, value);
        RowEvent row = mapper.map(origin, value);
        if (row == null) return null; // a skipped change event
        return new RowEvent(row.origin(), new Destination(table, row.destination().partition()), row.columns(), row.jobId(),
                row.chainedAfter(), row.operation());
    }
}
