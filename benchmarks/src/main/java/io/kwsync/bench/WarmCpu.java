package io.kwsync.bench;

/**
 * CPU time per 1,000 records of each service once past the first fifth of the records, so that the first-batch costs
 * and most of the JIT's compilations of a short run do not count: closer to what a long-running service pays per
 * record. Each service's window starts when its own output first passes n / 5 (ingest: the rows topic; sink: committed
 * rows). Within the window each service's time is also split by thread ({@link ThreadCpu}): the JIT compiler is still
 * busy there in runs of a few million records, so that share is given apart.
 */
final class WarmCpu {

    private final long n;
    private final Window ingestWindow;
    private final Window sinkWindow;
    /** Per 1,000 records in the window: all threads, and of that the JIT compiler's and the garbage collector's. */
    double ingest;
    double ingestJit;
    double ingestGc;
    double sink;
    double sinkJit;
    double sinkGc;

    WarmCpu(long n, Service ingest, Service sink) {
        this.n = n;
        this.ingestWindow = new Window(ingest);
        this.sinkWindow = new Window(sink);
    }

    void ingestAt(long published) {
        long records = ingestWindow.at(published, n);
        if (records == 0) return;
        ingest = ingestWindow.threads.totalPerThousand(records);
        ingestJit = ingestWindow.threads.jitPerThousand(records);
        ingestGc = ingestWindow.threads.gcPerThousand(records);
    }

    void sinkAt(long committed) {
        long records = sinkWindow.at(committed, n);
        if (records == 0) return;
        sink = sinkWindow.threads.totalPerThousand(records);
        sinkJit = sinkWindow.threads.jitPerThousand(records);
        sinkGc = sinkWindow.threads.gcPerThousand(records);
    }

    /** One service's window, from the first count past n / 5 to the first count at n. */
    private static final class Window {
        private final ThreadCpu threads;
        private long countAtStart = -1;
        private boolean done;

        Window(Service service) {
            this.threads = new ThreadCpu(service);
        }

        /** The records of the window, once, when it closes; otherwise 0. */
        long at(long count, long n) {
            if (done) return 0;
            if (countAtStart < 0) {
                if (count < n / 5) return 0;
                countAtStart = count;
                threads.start();
            }
            if (count < n || countAtStart >= n) {
                threads.sample();
                return 0;
            }
            threads.stop();
            done = true;
            return n - countAtStart;
        }
    }
}
