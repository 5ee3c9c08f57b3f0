package io.kwsync.bench;

/**
 * CPU time per 1,000 records of each service once past the first fifth of the records, so that the JIT's
 * compilations and the first-batch costs of a short run do not count: what a long-running service pays per record.
 * Each service's window starts when its own output first passes n / 5 (ingest: the rows topic; sink: committed rows).
 */
final class WarmCpu {

    private final long n;
    private long ingestCpu = -1;
    private long ingestAt;
    private long sinkCpu = -1;
    private long sinkAt;
    double ingest;
    double sink;

    WarmCpu(long n) {
        this.n = n;
    }

    void ingestAt(long published, Service s) {
        if (ingestCpu < 0 && published >= n / 5) {
            ingestCpu = s.cpuMillis();
            ingestAt = published;
        }
        if (published >= n && ingestCpu >= 0 && ingestAt < n && ingest == 0) ingest = (s.cpuMillis() - ingestCpu) * 1000.0 / (n - ingestAt);
    }

    void sinkAt(long committed, Service s) {
        if (sinkCpu < 0 && committed >= n / 5) {
            sinkCpu = s.cpuMillis();
            sinkAt = committed;
        }
        if (committed >= n && sinkCpu >= 0 && sinkAt < n && sink == 0) sink = (s.cpuMillis() - sinkCpu) * 1000.0 / (n - sinkAt);
    }
}
