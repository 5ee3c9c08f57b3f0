package io.kwsync.sink.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.RecordPack;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.tunnel.io.ProtobufRecordPack;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.maxcompute.TunnelSessions.Written;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * An upload session (append, or overwrite) held open across writes: each write's rows for the partition go up as one
 * block, with the next block id, as they arrive; a commit takes all blocks at once. A block id uploaded again replaces
 * the block, so a write retried after a failure sends its block under the same id; a block a failed write left on the
 * tunnel and no later write replaced is emptied before the commit, since a commit takes every uploaded block.
 */
final class HeldUpload extends HeldSession {

    private final TableTunnel.UploadSession session;
    private final boolean overwrite;
    private final SdkCalls calls;
    private final CompressOption compression;

    HeldUpload(SessionKey key, TableInfo table, PartitionSpec partition, Instant opened, TableTunnel.UploadSession session,
               boolean overwrite, SdkCalls calls, CompressOption compression) {
        super(key, table, partition, opened);
        this.session = session;
        this.overwrite = overwrite;
        this.calls = calls;
        this.compression = compression;
    }

    @Override
    String id() {
        return session.getId();
    }

    @Override
    boolean overwrite() {
        return overwrite;
    }

    @Override
    boolean upsert() {
        return false;
    }

    /** Uploads the rows as block {@link #blocks}; a {@code InvalidBlockID} refusal means the session is full. */
    @Override
    Staged stage(List<RowEvent> input) throws Exception {
        calls.awaitQuiet(id());
        RecordPack pack = session.newRecordPack(compression);
        Written w = TunnelSessions.convert(table, input, session.newRecord(), pack::append);
        if (w.rows().isEmpty()) return new Staged(this, w, 0, -1);
        int block = blocks;
        calls.run(id(), "uploading block " + block + " of " + this, () -> {
            session.writeBlock(block, pack);
            return null;
        });
        return new Staged(this, w, pack instanceof ProtobufRecordPack p ? p.getTotalBytes() : 0, block);
    }

    /**
     * Makes the blocks on the tunnel exactly 0 to n - 1: blocks beyond the counted ones (left by a failed write, or
     * uploaded by a call given up on that has ended since) are emptied, and count from now on as blocks without rows.
     */
    @Override
    int prepareCommit() throws Exception {
        if (committing) return blocks; // asking for the commit again is harmless; the blocks are settled
        calls.awaitQuiet(id());
        Long[] onTunnel = calls.call(id(), "listing the blocks of " + this, session::getBlockList);
        TreeSet<Long> present = new TreeSet<>(List.of(onTunnel));
        for (long b = 0; b < blocks; b++) {
            if (!present.contains(b)) throw new SessionLost(id(), this + ": block " + b + " is missing on the tunnel", null);
        }
        long last = present.isEmpty() ? -1 : present.last();
        for (long b = blocks; b <= last; b++) {
            long block = b;
            calls.run(id(), "emptying block " + block + " of " + this, () -> {
                session.writeBlock(block, session.newRecordPack(compression));
                return null;
            });
        }
        blocks = (int) Math.max(blocks, last + 1);
        return blocks;
    }

    @Override
    void commit() throws Exception {
        boolean again = asked;
        asked = true;
        UploadCommit.settle(calls, session, blocks, again, "committing " + this);
        calls.forget(id());
    }

    @Override
    void close() {
        // an upload session holds nothing in this process; one never committed expires on the service's side
    }
}
