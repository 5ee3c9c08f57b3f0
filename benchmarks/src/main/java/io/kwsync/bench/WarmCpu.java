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
    double ingest;
    double sink;
    /** Per 1,000 records in the window: work, JIT compiler, garbage collector. */
    double[] ingestSplit = new double[3];
    double[] sinkSplit = new double[3];

    WarmCpu(long n, Service ingest, Service sink) {
        this.n = n;
        this.ingestWindow = new Window(ingest);
        this.sinkWindow = new Window(sink);
    }

    void ingestAt(long published) {
        if (ingestWindow.at(published, n)) {
            ingest = ingestWindow.perThousand;
            ingestSplit = ingestWindow.split;
        }
    }

    void sinkAt(long committed) {
        if (sinkWindow.at(committed, n)) {
            sink = sinkWindow.perThousand;
            sinkSplit = sinkWindow.split;
        }
    }

    /** One service's window, from the first count past n / 5 to the first count at n. */
    private static final class Window {
        private final Service service;
        private final ThreadCpu threads;
        private long cpuAtStart = -1;
        private long countAtStart;
        private boolean done;
        double perThousand;
        double[] split;

        Window(Service service) {
            this.service = service;
            this.threads = new ThreadCpu(service);
        }

        /** True once, when the window closes. */
        boolean at(long count, long n) {
            if (done) return false;
            if (cpuAtStart < 0) {
                if (count < n / 5) return false;
                cpuAtStart = service.cpuMillis();
                countAtStart = count;
                threads.start();
            }
            if (count < n || countAtStart >= n) {
                threads.sample();
                return false;
            }
            threads.stop();
            done = true;
            perThousand = (service.cpuMillis() - cpuAtStart) * 1000.0 / (n - countAtStart);
            split = threads.perThousand(n - countAtStart);
            return true;
        }
    }
}
