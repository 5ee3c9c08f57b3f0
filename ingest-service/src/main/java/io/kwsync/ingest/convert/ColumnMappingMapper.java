package io.kwsync.ingest.convert;

import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.ingest.mapping.ColumnMapping;

/** The configured mapping (KWSYNC_MAPPING_COLUMNS): built-in fields, constants and JSON paths to named columns. */
public final class ColumnMappingMapper implements RecordMapper {

    private final RowDestination destination;
    private final ColumnMapping mapping;

    public ColumnMappingMapper(RowDestination destination, ColumnMapping mapping) {
        this.destination = destination;
        this.mapping = mapping;
    }

    @Override
    public RowEvent map(Origin origin, byte[] value) {
        var columns = mapping.apply(origin, value); // first: a value that is not JSON is reported as such
        return new RowEvent(origin, destination.of(origin, value), columns);
    }
}
