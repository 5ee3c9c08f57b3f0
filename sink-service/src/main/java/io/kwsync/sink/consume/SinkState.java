package io.kwsync.sink.consume;

import jakarta.enterprise.context.ApplicationScoped;

/** What the health checks report about writing: the last destination error, and a fatal failure if any. */
@ApplicationScoped
public class SinkState {

    private volatile String destinationError;
    private volatile Exception failure;

    void destinationWorks() {
        destinationError = null;
    }

    void destinationFails(String message) {
        destinationError = message;
    }

    void failed(Exception e) {
        failure = e;
    }

    public String destinationError() {
        return destinationError;
    }

    public Exception failure() {
        return failure;
    }
}
