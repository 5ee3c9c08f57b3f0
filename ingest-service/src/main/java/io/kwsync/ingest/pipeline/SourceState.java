package io.kwsync.ingest.pipeline;

/**
 * What the health checks see of one source consumer ({@link SourceLoop}).
 *
 * @param consumer the consumer's client id
 * @param lastPoll the clock's milliseconds at the end of its last poll, -1 before the first
 * @param joined   whether it has joined the consumer group
 * @param failure  why its loop ended on its own (a failed send, a fatal client error), or null
 */
public record SourceState(String consumer, long lastPoll, boolean joined, Throwable failure) {
}
