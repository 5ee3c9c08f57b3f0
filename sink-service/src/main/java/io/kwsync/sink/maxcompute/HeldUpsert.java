package io.kwsync.sink.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;
import io.kwsync.sink.maxcompute.TunnelSessions.Written;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * An upsert session on a transactional primary-key table held open across writes: each write's rows for the partition
 * are upserted (delete events deleted, by the key columns they carry) through a new stream and flushed before the write returns (so nothing is held in memory), and the
 * session's commit makes them all visible. Writing a row twice leaves one row (the later value wins), so a write
 * retried after a failed flush simply sends its rows again.
 *
 * <p>Each flush and the commit run under the deadline of {@link SdkCalls}: a flush whose connection closed without an
 * answer would otherwise wait for ever in the SDK ({@code UpsertStreamImpl} waits on a latch that only an answer or
 * its read timeout releases); the deadline interrupts it. The SDK's public builder gives each session its own network
 * thread: sharing one between sessions needs {@code setNettyBootStrap}, which only its implementation class has, so
 * kwsync does without it (one thread per partition with an open upsert session).
 */
final class HeldUpsert extends HeldSession {

    private static final Logger LOG = Logger.getLogger(HeldUpsert.class);

    private final TableTunnel.UpsertSession session;
    private final SdkCalls calls;
    private final CompressOption compression;
    private final Executor closer;

    /** @param closer where the session's network thread is shut down (that waits a quiet period of its own) */
    HeldUpsert(SessionKey key, TableInfo table, PartitionSpec partition, Instant opened, TableTunnel.UpsertSession session,
               SdkCalls calls, CompressOption compression, Executor closer) {
        super(key, table, partition, opened);
        this.session = session;
        this.calls = calls;
        this.compression = compression;
        this.closer = closer;
    }

    @Override
    String id() {
        return session.getId();
    }

    @Override
    boolean overwrite() {
        return false;
    }

    @Override
    boolean upsert() {
        return true;
    }

    @Override
    Staged stage(List<RowEvent> input) throws Exception {
        calls.awaitQuiet(id());
        return calls.call(id(), "upserting into " + this, () -> {
            UpsertStream stream = session.buildUpsertStream().setCompressOption(compression).build();
            Written w = TunnelSessions.convertRows(table, input, session.newRecord(), (row, rec) -> {
                if (row.operation() == RowOperation.DELETE) stream.delete(rec);
                else stream.upsert(rec);
            });
            stream.close(); // sends what the stream buffers and waits for the answer
            return new Staged(this, w, 0, w.rows().isEmpty() ? -1 : blocks);
        });
    }

    /** Nothing to prepare: a flush given up on that lands later only repeats upserts of rows the session may take twice. */
    @Override
    int prepareCommit() {
        return blocks;
    }

    /**
     * Commits (the SDK asks again while the service says "committing"). After an attempt without a clear answer the
     * status is asked first: a commit the service already took is not asked for again.
     */
    @Override
    void commit() throws Exception {
        if (asked && "committed".equals(status())) {
            finish();
            return;
        }
        asked = true;
        try {
            calls.run(id(), "committing " + this, () -> {
                session.commit(false);
                return null;
            });
        } catch (SdkCalls.CallTimeout e) {
            throw e;
        } catch (Exception e) {
            if (MaxComputeErrors.isExpiredSession(e)) throw new SessionLost(id(), this + " expired before its commit", e);
            if (!"committed".equals(status())) throw e;
            LOG.debugf("%s was committed although its commit answered %s", this, e.getMessage());
        }
        finish();
    }

    /** The session's status; {@link SessionLost} when it can never be committed. */
    private String status() throws Exception {
        String status;
        try {
            status = calls.call(id(), "status of " + this, session::getStatus).toLowerCase(Locale.ROOT);
        } catch (SdkCalls.CallTimeout e) {
            throw e;
        } catch (Exception e) {
            if (MaxComputeErrors.isExpiredSession(e)) throw new SessionLost(id(), this + " expired before its commit", e);
            throw e;
        }
        if (!status.equals("normal") && !status.equals("committing") && !status.equals("committed")) {
            throw new SessionLost(id(), this + " has status " + status + " and will not be committed", null);
        }
        return status;
    }

    /**
     * Ends the commit of an upsert session another process asked for (recorded as committing): commits it if it is not
     * yet (a request never received), waits while it is committing. Returns once it is committed, or will never be.
     */
    static void settleRecorded(SdkCalls calls, TableTunnel.UpsertSession s, String what) throws Exception {
        try {
            String status = calls.call(s.getId(), what + ": status", s::getStatus).toLowerCase(Locale.ROOT);
            if (status.equals("normal") || status.equals("committing")) {
                calls.run(s.getId(), what + ": commit", () -> {
                    s.commit(false);
                    return null;
                });
            }
        } catch (SdkCalls.CallTimeout e) {
            throw e;
        } catch (Exception e) {
            if (!MaxComputeErrors.isExpiredSession(e)) throw e;
            LOG.infof("%s: the session expired; it was never committed", what);
        } finally {
            s.close();
        }
    }

    private void finish() {
        close();
        calls.forget(id());
    }

    @Override
    void close() {
        closer.execute(session::close);
    }
}
