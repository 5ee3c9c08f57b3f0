package io.kwsync.ingest.job;

/** Leadership moved while running: the new leader takes over the run's bookkeeping, this replica only stops. */
public final class Superseded extends RuntimeException {
    public Superseded() {
        super("this replica is no longer the leader");
    }
}
