package io.kwsync.ingest.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
/** Where the broker stored a test message. */
@RegisterForReflection
public record TestMessageResult(String topic, int partition, long offset, long timestamp) {
}
