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
        Destination d = destination.of(origin);
        if (value == null || charset.equals(StandardCharsets.UTF_8)) {
            return new RowEvent(origin, d, JsonColumns.parseObject(value));
        }
        return new RowEvent(origin, d, JsonColumns.parseObjectText(StrictText.decode(value, charset, "value")));
    }
}
