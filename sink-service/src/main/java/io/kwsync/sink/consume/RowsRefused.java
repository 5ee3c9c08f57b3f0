package io.kwsync.sink.consume;

import io.kwsync.model.DeadLetter;
import io.kwsync.sink.Rejected;

import java.util.List;

/**
 * Thrown from the reject handler under KWSYNC_FAILURE_POLICY=stop: the destination refused rows, so the batch is not
 * committed and the sink stops consuming. Unchecked, so that it passes through the sinks unchanged or as a cause.
 */
final class RowsRefused extends RuntimeException {

    private final String record;
    private final String reason;

    RowsRefused(List<Rejected> rejected) {
        super(rejected.size() + " rows refused by the destination, the first from "
                + rejected.get(0).row().origin().coordinates() + ": " + DeadLetter.describe(rejected.get(0).reason()));
        this.record = rejected.get(0).row().origin().coordinates();
        this.reason = DeadLetter.describe(rejected.get(0).reason());
    }

    /** The source record of the first refused row, topic-partition@offset. */
    String record() {
        return record;
    }

    String reason() {
        return reason;
    }

    /** The refusal in a failure's cause chain, or null. */
    static RowsRefused in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RowsRefused r) return r;
        }
        return null;
    }
}
