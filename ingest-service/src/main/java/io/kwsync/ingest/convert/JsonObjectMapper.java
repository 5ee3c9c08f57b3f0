package io.kwsync.ingest.convert;

import io.kwsync.model.Destination;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.ingest.mapping.StrictText;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The AnalyticDB connector's rule: the value is a JSON object whose keys are the destination's column names. A value
 * in a charset other than UTF-8 (KWSYNC_SOURCE_ENCODING) is decoded strictly first.
 */
public final class JsonObjectMapper implements RecordMapper {

    private final RowDestination destination;
    private final Charset charset;

    public JsonObjectMapper(Destination destination) {
        this(RowDestination.fixed(destination), StandardCharsets.UTF_8);
    }

    public JsonObjectMapper(RowDestination destination, Charset charset) {
        this.destination = destination;
        this.charset = charset;
    }

    @Override
    public RowEvent map(Origin origin, byte[] value) {
        // the columns first: a value that is not a JSON object is reported as such, not as a missing partition field
        var columns = value == null || charset.equals(StandardCharsets.UTF_8) ? JsonColumns.parseObject(value)
                : JsonColumns.parseObjectText(StrictText.decode(value, charset, "value"));
        return new RowEvent(origin, destination.of(origin, value), columns);
    }
}
