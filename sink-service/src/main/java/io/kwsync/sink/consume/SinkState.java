package io.kwsync.sink.consume;

import jakarta.enterprise.context.ApplicationScoped;

/** What the health checks report about writing: the last destination error, and a fatal failure if any. */
@ApplicationScoped
public class SinkState {

    private volatile String destinationError;
    private volatile Exception failure;
    private volatile Stopped stopped;

    /** Where and why KWSYNC_FAILURE_POLICY=stop stopped the sink: the source record of the first refused row. */
    public record Stopped(String record, String reason) {
    }

    void stopped(Stopped s) {
        stopped = s;
    }

    public Stopped stopped() {
        return stopped;
    }

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
