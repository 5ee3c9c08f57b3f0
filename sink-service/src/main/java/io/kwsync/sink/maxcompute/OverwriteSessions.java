package io.kwsync.sink.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.sink.job.RunFailedException;
import io.kwsync.sink.maxcompute.MaxComputeRunStore.MaxComputeRun;
import io.kwsync.sink.maxcompute.StoredRun.Session;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The overwrite upload sessions of window-job runs, for {@link MaxComputeStaging}: opening one per destination
 * partition (recorded in the run under its key), finding it again after a restart, checking that it can still be
 * committed, and committing it. The session objects this process opened are kept per run, so a block upload does not
 * reload its session; after a restart they are reloaded from the tunnel by id.
 *
 * <p>Not thread-safe: the rows consumer's single writer thread calls it.
 */
final class OverwriteSessions {

    private static final Logger LOG = Logger.getLogger(OverwriteSessions.class);

    private final String project;
    private final TableCatalog catalog;
    private final TableTunnel tunnel;
    private final CompressOption compression;
    private final SdkCalls calls;
    /** Upload sessions this process uses, by run id, then by session id. */
    private final Map<String, Map<String, TableTunnel.UploadSession>> open = new HashMap<>();

    OverwriteSessions(String project, TableCatalog catalog, TableTunnel tunnel, CompressOption compression, SdkCalls calls) {
        this.project = project;
        this.catalog = catalog;
        this.tunnel = tunnel;
        this.compression = compression;
        this.calls = calls;
    }

    /**
     * The recorded session of a table's partition, or a new overwrite session (the partition created first) recorded
     * under {@code key}. A run recorded by a version that keyed sessions by spec alone finds its session under
     * {@code spec} ({@code legacy}: the table is the run's own).
     */
    Session session(MaxComputeRun unit, TableInfo t, String key, String spec, Map<String, String> canonical, boolean legacy)
            throws Exception {
        Session s = unit.sessions().get(key);
        if (s == null && legacy) s = unit.sessions().get(spec);
        if (s != null) return s;
        try {
            PartitionSpec ps = canonical.isEmpty() ? null : TableCatalog.spec(canonical);
            if (ps != null) catalog.ensurePartition(t, ps, spec);
            TableTunnel.UploadSession upload = calls.call("opening an overwrite session on " + t.name + "/" + spec,
                    () -> ps == null ? tunnel.createUploadSession(project, t.schemaName, t.tableName, true)
                            : tunnel.createUploadSession(project, t.schemaName, t.tableName, ps, true));
            open.computeIfAbsent(unit.runId(), k -> new HashMap<>()).put(upload.getId(), upload);
            s = new Session();
            s.id = upload.getId();
            s.table = t.name;
            s.partition.putAll(canonical);
            unit.sessions().put(key, s);
            return s;
        } catch (Exception e) {
            if (MaxComputeErrors.retriable(e)) throw e;
            throw new RunFailedException(MaxComputeErrors.describe(e, "cannot open an overwrite session on " + t.name + "/" + spec));
        }
    }

    /** The session object to upload a block with: the one this process holds, or reloaded from the tunnel. */
    TableTunnel.UploadSession upload(MaxComputeRun unit, String table, Session s) throws Exception {
        TableTunnel.UploadSession u = open.getOrDefault(unit.runId(), Map.of()).get(s.id);
        return u != null ? u : reload(unit, table, s);
    }

    /** The session as the tunnel knows it now (status, uploaded blocks). */
    private TableTunnel.UploadSession reload(MaxComputeRun unit, String table, Session s) throws Exception {
        QualifiedTable q = QualifiedTable.parse(table, project);
        TableTunnel.UploadSession u = calls.call(s.id, "reloading job session " + s.id, () -> s.partition.isEmpty()
                ? tunnel.getUploadSession(project, q.schema(), q.name(), s.id)
                : tunnel.getUploadSession(project, q.schema(), q.name(), TableCatalog.spec(s.partition), s.id));
        open.computeIfAbsent(unit.runId(), k -> new HashMap<>()).put(s.id, u);
        return u;
    }

    /**
     * Whether the session can still be committed (or was): a session the tunnel no longer knows or reports expired
     * throws, as any call on it would, so that a run can find out before it replaces anything.
     */
    void checkAlive(MaxComputeRun unit, String table, Session s) throws Exception {
        if (s.committed) return;
        TableTunnel.UploadSession u = reload(unit, table, s);
        TableTunnel.UploadStatus status = calls.call(s.id, "status of job session " + s.id, u::getStatus);
        if (status == TableTunnel.UploadStatus.EXPIRED || status == TableTunnel.UploadStatus.CANCELED
                || status == TableTunnel.UploadStatus.CRITICAL) {
            throw new SessionLost(s.id, "job session " + s.id + " of " + table + " has status " + status
                    + " and can no longer be committed", null);
        }
    }

    /**
     * Commits one overwrite session. A block on the tunnel that the recorded state does not list (uploaded just before a
     * crash and never overwritten) is first emptied, since a commit takes every uploaded block. A session committed
     * before a restart, or whose commit answer was lost, is recognised by its status ({@link UploadCommit}).
     */
    void commit(MaxComputeRun unit, String table, Session s) throws Exception {
        calls.awaitQuiet(s.id);
        TableTunnel.UploadSession u = reload(unit, table, s);
        TableTunnel.UploadStatus status = calls.call(s.id, "status of job session " + s.id, u::getStatus);
        if (status == TableTunnel.UploadStatus.CLOSED) {
            LOG.infof("session %s of %s was committed before a restart; not committed again", s.id, table);
            return;
        }
        TreeSet<Long> blocks = new TreeSet<>(s.blocks);
        if (status == TableTunnel.UploadStatus.NORMAL) {
            for (Long extra : calls.call(s.id, "listing the blocks of job session " + s.id, u::getBlockList)) {
                if (blocks.add(extra)) {
                    LOG.infof("emptying block %d of session %s, uploaded before a restart but not recorded", extra, s.id);
                    emptyBlock(u, s, extra);
                }
            }
        }
        // ids 0..n-1 with every id in between: an id a block was never uploaded under gets an empty one
        long n = blocks.isEmpty() ? 0 : blocks.last() + 1;
        for (long b = 0; b < n; b++) {
            if (!blocks.contains(b)) emptyBlock(u, s, b);
        }
        // a session still "normal" is committed now; one "committing" (asked before a restart) is waited for
        UploadCommit.settle(calls, u, (int) n, status != TableTunnel.UploadStatus.NORMAL, "committing job session " + s.id + " of " + table);
        LOG.debugf("committed overwrite session %s of %s with blocks %s", s.id, table, Arrays.toString(blocks.toArray()));
    }

    private void emptyBlock(TableTunnel.UploadSession u, Session s, long id) throws Exception {
        calls.run(s.id, "emptying block " + id + " of job session " + s.id, () -> {
            u.writeBlock(id, u.newRecordPack(compression));
            return null;
        });
    }

    /** This process no longer uses the session object (it is reloaded when needed again). */
    void forget(String runId, String sessionId) {
        open.getOrDefault(runId, new HashMap<>()).remove(sessionId);
    }

    /** Forgets the run's session objects (it is decided). */
    void forget(String runId) {
        open.remove(runId);
    }

    /** Forgets every session object: after a failure they are reloaded from the tunnel on the next attempt. */
    void forgetAll() {
        open.clear();
    }
}
