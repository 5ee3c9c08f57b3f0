package io.kwsync.ingest.pipeline;

import io.kwsync.model.Destination;
import io.kwsync.model.JsonColumns;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;

/** The AnalyticDB connector's rule: the value is a JSON object whose keys are the destination's column names. */
public final class JsonObjectMapper implements RecordMapper {

    private final RowDestination destination;

    public JsonObjectMapper(Destination destination) {
        this(origin -> destination);
    }

    public JsonObjectMapper(RowDestination destination) {
        this.destination = destination;
    }

    @Override
    public RowEvent map(Origin origin, byte[] value) {
        return new RowEvent(origin, destination.of(origin), JsonColumns.parseObject(value));
    }
}
