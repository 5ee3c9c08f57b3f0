package io.kwsync.sink.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A problem with one window-job run's data or destination (a missing table or column, a partition the table does not
 * have, counts that do not match): the run is decided FAILED, the destination keeps what it had, and the sink goes
 * on with everything else. Retrying the same items could not help. A destination that cannot be reached is not this:
 * that is a retriable {@link io.kwsync.sink.SinkException}.
 *
 * <p>A destination without a transaction over the whole run (MaxCompute replaces partition by partition) may fail
 * after some partitions were replaced: it names them in {@link #replaced}, and the run's FAILED result lists them.
 */
public class RunFailedException extends Exception {

    private final Map<String, Long> replaced;

    public RunFailedException(String reason) {
        this(reason, null, Map.of());
    }

    public RunFailedException(String reason, Throwable cause) {
        this(reason, cause, Map.of());
    }

    /** @param replaced partitions (as a result's {@code written} names them) the run replaced before it failed */
    public RunFailedException(String reason, Throwable cause, Map<String, Long> replaced) {
        super(reason, cause);
        this.replaced = Collections.unmodifiableMap(new LinkedHashMap<>(replaced));
    }

    /** Partitions the run replaced before it failed, with the rows each now holds; empty when nothing changed. */
    public Map<String, Long> replaced() {
        return replaced;
    }
}
