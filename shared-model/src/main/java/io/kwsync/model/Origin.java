package io.kwsync.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a row came from: the coordinates of the source Kafka record, its timestamp (epoch millis), key and headers.
 * (topic, partition, offset) identifies the record uniquely; sinks use it to drop what they already committed.
 */
public record Origin(String topic, int partition, long offset, long timestamp, byte[] key, List<Header> headers) {

    public Origin {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) throw new IllegalArgumentException("partition < 0: " + partition);
        if (offset < 0) throw new IllegalArgumentException("offset < 0: " + offset);
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** "topic-partition@offset", the form used in logs and error headers. */
    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Origin x && topic.equals(x.topic) && partition == x.partition && offset == x.offset
                && timestamp == x.timestamp && Arrays.equals(key, x.key) && headers.equals(x.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp, Arrays.hashCode(key), headers);
    }

    @Override
    public String toString() {
        return "Origin[" + coordinates() + ", ts=" + timestamp + "]";
    }
}
