package io.kwsync.sink.maxcompute;

import com.aliyun.odps.PartitionSpec;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.maxcompute.TunnelSessions.Written;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tunnel session of one destination partition that stays open across writes: each write adds its rows for the
 * partition (a block of an upload session, a flush of an upsert session), and the session is committed when
 * {@link Pacing} says so. Adding is two steps, so that a write that fails half-way leaves nothing of its own behind:
 * {@link #stage} sends the rows, {@link #apply} counts them once the whole write succeeded. A staged block that was
 * never applied is either replaced by the next write's block of the same id or emptied before the commit.
 *
 * <p>Not thread-safe: the sink's writer thread owns it.
 */
abstract class HeldSession {

    /** What one stage sent: the rows taken (and refused), the bytes as sent, the block id used (-1: nothing sent). */
    record Staged(HeldSession session, Written written, long bytes, int block) {
    }

    final SessionKey key;
    final TableInfo table;
    /** Null for an unpartitioned table. */
    final PartitionSpec partition;
    final Instant opened;
    /** Blocks (or flushes) counted, ids 0 to blocks - 1. */
    int blocks;
    long bytes;
    long rows;
    /** The first write whose rows this session holds; 0 while it holds none. */
    long firstWrite;
    /** Source partition -> the [min, max] of its offsets this session holds. */
    final Map<String, long[]> ranges = new LinkedHashMap<>();
    /**
     * Recorded as committing: from then on nothing more goes in, and the session is not given up until the tunnel tells
     * how its commit ended.
     */
    boolean committing;
    /** A commit request was sent (perhaps without an answer): the next attempt asks the status first. */
    boolean asked;

    HeldSession(SessionKey key, TableInfo table, PartitionSpec partition, Instant opened) {
        this.key = key;
        this.table = table;
        this.partition = partition;
        this.opened = opened;
    }

    abstract String id();

    abstract boolean overwrite();

    abstract boolean upsert();

    /** Sends rows as the next block or flush; nothing counts until {@link #apply}. */
    abstract Staged stage(List<RowEvent> input) throws Exception;

    /** Counts what a stage sent, as part of write number {@code write}. */
    void apply(Staged s, long write) {
        if (s.block() < 0) return;
        blocks = Math.max(blocks, s.block() + 1);
        bytes += s.bytes();
        rows += s.written().rows().size();
        if (firstWrite == 0) firstWrite = write;
        String lastTopic = null;
        int lastPartition = -1;
        long[] range = null;
        for (RowEvent r : s.written().rows()) {
            // rows come in runs of one source partition: its key is made once per run, not once per row
            if (range == null || r.origin().partition() != lastPartition || !r.origin().topic().equals(lastTopic)) {
                lastTopic = r.origin().topic();
                lastPartition = r.origin().partition();
                range = ranges.computeIfAbsent(CommitLog.sourceKey(lastTopic, lastPartition), k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
            }
            range[0] = Math.min(range[0], r.origin().offset());
            range[1] = Math.max(range[1], r.origin().offset());
        }
    }

    /** Whether it holds rows of any write. */
    boolean holdsRows() {
        return rows > 0;
    }

    /**
     * Gets the session ready for its commit: waits until no call given up on it still runs, then makes the blocks on
     * the tunnel exactly the counted ones. Returns the block count the commit covers.
     */
    abstract int prepareCommit() throws Exception;

    /**
     * Commits, or finds out how an earlier commit request ended; returns once the session is committed. A failure
     * leaves {@link #asked} set, so the next attempt asks the tunnel before anything else; {@link SessionLost} when
     * the tunnel says it will never be committed.
     */
    abstract void commit() throws Exception;

    /** Releases what the session holds in this process (network threads); the service forgets it on its own. */
    abstract void close();

    /** The pending entry recording the rows of {@code source} this session holds, in {@code state}. */
    CommitLog.Pending pending(String source, String state) {
        long[] range = ranges.get(source);
        return new CommitLog.Pending(table.name, key.spec(), key.job(), id(), range[0], range[1], overwrite(), upsert(), state, blocks);
    }

    @Override
    public String toString() {
        return (upsert() ? "upsert" : overwrite() ? "overwrite" : "upload") + " session " + id() + " of " + table.name
                + (key.spec().isEmpty() ? "" : "/" + key.spec());
    }
}
