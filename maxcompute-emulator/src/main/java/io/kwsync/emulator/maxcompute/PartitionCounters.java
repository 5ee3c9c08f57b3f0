package io.kwsync.emulator.maxcompute;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the tunnel did for one table partition ({@code ""} for an unpartitioned table), as tests and the benchmark
 * read it. A commit counts when it takes effect (after any "committing" period).
 *
 * @param partition        the partition spec, {@code a=1,b=2}
 * @param uploadSessions   upload sessions created
 * @param upsertSessions   upsert sessions created
 * @param streamSessions   streaming-tunnel sessions created
 * @param commits          sessions committed (upload and upsert)
 * @param committedFiles   files the commits created: one per committed block holding records, one per upsert commit
 *                         with operations (the emulator's upsert sessions have a single bucket), one per streaming
 *                         upload (visible without a commit)
 * @param blocksUploaded   block and bucket uploads received (a block sent again counts again)
 * @param uploadedBytes    bytes of those uploads, as sent on the wire (compressed when the client compresses)
 * @param committedBytes   wire bytes of the blocks, buckets and streaming uploads made visible
 * @param committedRecords records made visible (upserts and deletes for upsert sessions)
 * @param sessionCreations when each session (of any kind) was created, by the emulator's clock
 * @param uploadedRecords  records in the blocks, buckets and streaming uploads received (a block sent again counts again):
 *                         what has reached the service, committed or not
 */
public record PartitionCounters(String partition, int uploadSessions, int upsertSessions, int streamSessions, int commits,
                                int committedFiles,
                                int blocksUploaded, long uploadedBytes, long committedBytes, long committedRecords,
                                List<Instant> sessionCreations, long uploadedRecords) {

    public PartitionCounters {
        sessionCreations = List.copyOf(sessionCreations);
    }

    /** Times between consecutive session creations, in creation order. */
    public List<Duration> sessionIntervals() {
        List<Duration> out = new ArrayList<>();
        for (int i = 1; i < sessionCreations.size(); i++) out.add(Duration.between(sessionCreations.get(i - 1), sessionCreations.get(i)));
        return out;
    }

    /** The shortest time between two session creations; empty with fewer than two sessions. */
    public Optional<Duration> shortestSessionInterval() {
        return sessionIntervals().stream().min(Duration::compareTo);
    }

    /** Average size of a committed file in bytes; 0 when nothing was committed. */
    public double averageFileBytes() {
        return committedFiles == 0 ? 0 : (double) committedBytes / committedFiles;
    }
}
