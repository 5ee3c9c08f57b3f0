package io.kwsync.sink;

import org.jboss.logging.Logger;

/**
 * Rows a sink skipped because the row ingest published just before them from the same source partition
 * ({@link io.kwsync.model.RowEvent#chainedAfter()}) is not in the destination: its send failed after theirs had
 * succeeded. Writing them would let the source offset tracking pass over the lost row for good; skipped, they come
 * again after it, since ingest never acknowledged the failed record and reads from it again.
 */
public final class Unchained {

    private static final Logger LOG = Logger.getLogger(Unchained.class);

    private Unchained() {
    }

    public static void log(int rows) {
        LOG.warnf("skipped %d rows that follow a row missing from the rows topic (a failed send in ingest-service);"
                + " ingest-service sends them again after it", rows);
    }
}
