package io.kwsync.model;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An upper bound of the bytes a Kafka record takes on its own in a record batch (Kafka's record format v2: the batch
 * header, the record's varint fields, key, value and headers), as the producer estimates it against
 * {@code max.request.size}. Lets a service decide before a send whether a record can fit a topic at all.
 */
public final class RecordSize {

    /** Batch header of record format v2. */
    static final int BATCH_OVERHEAD = 61;
    /** Length, attributes, timestamp and offset deltas, key and value lengths, header count, at their widest. */
    static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;
    /** Name and value lengths of one header, at their widest. */
    static final int HEADER_OVERHEAD = 5 + 5;

    private RecordSize() {
    }

    public static long of(byte[] key, byte[] value, List<Header> headers) {
        return BATCH_OVERHEAD + RECORD_OVERHEAD + length(key) + length(value) + headers(headers);
    }

    /** What the headers add to a record. */
    public static long headers(List<Header> headers) {
        long n = 0;
        for (Header h : headers) n += of(h);
        return n;
    }

    static long of(Header h) {
        return HEADER_OVERHEAD + h.name().getBytes(StandardCharsets.UTF_8).length + length(h.value());
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
