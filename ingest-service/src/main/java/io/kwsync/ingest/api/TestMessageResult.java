package io.kwsync.ingest.api;

/** Where the broker stored a test message. */
public record TestMessageResult(String topic, int partition, long offset, long timestamp) {
}
