package io.kwsync.ingest.publish;

import io.kwsync.runtime.kafka.TopicProvisioner;

/**
 * The largest row and dead letter ingest-service sends, in bytes before compression ({@link io.kwsync.model.RecordSize}):
 * what the rows and error topics take (their max.message.bytes) and the producer sends (its max.request.size), less
 * room for compression, since the broker checks the compressed batch and incompressible data grows a little when
 * compressed (snappy the most). A record beyond the limit never reaches the producer: a row becomes a dead letter, a
 * dead letter is cut to fit, so one record cannot fail the sends of the records behind it.
 *
 * @param rows   the largest row record
 * @param errors the largest error-topic record
 */
public record RecordLimits(long rows, long errors) {

    public static RecordLimits of(TopicProvisioner.MessageLimits topics, String compression) {
        return new RecordLimits(usable(topics.rows(), compression), usable(topics.errors(), compression));
    }

    /** A limit of {@code maxBytes} as seen before compression. */
    static long usable(int maxBytes, String compression) {
        long limit = Math.min(maxBytes, RowsProducer.MAX_REQUEST_BYTES);
        long room = switch (compression) {
            case "none" -> 0;
            case "snappy" -> limit / 6 + 64;
            default -> limit / 64 + 64; // gzip, lz4, zstd: a fraction of a percent at worst, plus frame headers
        };
        return limit - room;
    }
}
