package io.kwsync.sink.job;

/**
 * A problem with one window-job run's data or destination (a missing table or column, a partition the table does not
 * have, counts that do not match): the run is decided FAILED, the destination keeps what it had, and the sink goes
 * on with everything else. Retrying the same items could not help. A destination that cannot be reached is not this:
 * that is a retriable {@link io.kwsync.sink.SinkException}.
 */
public class RunFailedException extends Exception {

    public RunFailedException(String reason) {
        super(reason);
    }

    public RunFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
