package io.kwsync.sink.maxcompute;

import com.aliyun.odps.tunnel.TableTunnel;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.maxcompute.CommitLog.Pending;
import io.kwsync.sink.maxcompute.CommitLog.Progress;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the commit log recorded about a source partition the first time a write meets it (after a start, a crash,
 * or partitions handed over), and settles the sessions it lists before any of their rows is written again:
 * <ul>
 *   <li>open: the process that recorded it never asked for its commit; the session expires on the tunnel and its rows
 *   are written again (they were never acknowledged);</li>
 *   <li>committing (or recorded by a version that committed at once): asked of the tunnel, committed by this process
 *   when still "normal" with the recorded blocks, waited for while "committing" ({@link UploadCommit}); its rows are
 *   skipped once it is committed, and written again only when the tunnel says it never will be;</li>
 *   <li>committed: its rows are skipped;</li>
 *   <li>upsert sessions: their rows may be written again, as upserts are idempotent; but one recorded committing is
 *   first committed or waited for, so that its older values cannot land after the newer ones.</li>
 * </ul>
 * A failure to settle fails the write (retried); nothing is written meanwhile for that source partition.
 *
 * <p>Not thread-safe: the sink's writer thread owns it.
 */
final class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private final CommitLog log;
    private final TunnelSessions tunnels;
    private final SourceLedger ledger;
    /** Session id -> committed, for sessions settled here. */
    private final Map<String, Boolean> settled = new HashMap<>();
    /** Overwrites found committed, not yet recorded as such. */
    private final Set<String> markers = new LinkedHashSet<>();
    private final Set<String> recovered = new HashSet<>();

    Recovery(CommitLog log, TunnelSessions tunnels, SourceLedger ledger) {
        this.log = log;
        this.tunnels = tunnels;
        this.ledger = ledger;
    }

    /** Makes every source partition of the rows known to the ledger, reading the log once when one is not. */
    void load(List<RowEvent> rows) throws Exception {
        Set<String> unknown = new LinkedHashSet<>();
        String lastTopic = null;
        int lastPartition = -1;
        for (RowEvent r : rows) {
            if (r.origin().partition() == lastPartition && r.origin().topic().equals(lastTopic)) continue;
            lastTopic = r.origin().topic();
            lastPartition = r.origin().partition();
            String key = CommitLog.sourceKey(lastTopic, lastPartition);
            if (ledger.get(key) == null) unknown.add(key);
        }
        if (unknown.isEmpty()) return;
        log.catchUp();
        for (String key : unknown) load(key);
    }

    private void load(String key) throws Exception {
        Progress p = log.progress(key);
        List<Pending> committed = new ArrayList<>();
        for (Pending e : p.pending()) {
            if (e.upsert()) {
                if (Pending.COMMITTING.equals(e.state())) settleUpsert(e);
                continue;
            }
            switch (e.stateOrCommitting()) {
                case Pending.OPEN -> LOG.infof("session %s of %s/%s held offsets %d-%d of %s when its sink stopped, uncommitted:"
                        + " it expires on the tunnel and those rows are written again", e.session(), e.table(), e.spec(), e.min(), e.max(), key);
                case Pending.COMMITTED -> committed.add(e);
                default -> {
                    if (settle(e, key)) {
                        committed.add(new Pending(e.table(), e.spec(), e.job(), e.session(), e.min(), e.max(), e.overwrite(), false,
                                Pending.COMMITTED, e.blocks()));
                    }
                }
            }
        }
        ledger.load(key, p.through(), committed);
    }

    /** Whether a session recorded as committing is committed, after settling it with the tunnel. */
    private boolean settle(Pending e, String source) throws Exception {
        Boolean done = settled.get(e.session());
        if (done != null) return done;
        String what = "settling session " + e.session() + " of " + e.table() + (e.spec().isEmpty() ? "" : "/" + e.spec());
        try {
            TableTunnel.UploadSession s = tunnels.recorded(e.table(), e.spec(), e.session());
            done = UploadCommit.settle(tunnels.calls(), s, e.state() == null ? -1 : e.blocks(), true, what);
        } catch (SessionLost lost) {
            done = false;
        } catch (Exception ex) {
            if (!MaxComputeErrors.isExpiredSession(ex)) throw ex;
            done = false;
        }
        settled.put(e.session(), done);
        if (done && e.overwrite()) {
            // a committed overwrite counts as done, or the job's next rows would wipe the partition again
            String marker = CommitLog.overwriteKey(e.job(), e.table(), e.spec());
            markers.add(marker);
            recovered.add(marker);
        }
        LOG.infof("session %s of %s/%s for %s offsets %d-%d was %s", e.session(), e.table(), e.spec(), source, e.min(), e.max(),
                done ? "committed: its rows are skipped" : "not committed and never will be: its rows are written again");
        return done;
    }

    private void settleUpsert(Pending e) throws Exception {
        if (settled.containsKey(e.session())) return;
        String what = "settling upsert session " + e.session() + " of " + e.table() + (e.spec().isEmpty() ? "" : "/" + e.spec());
        try {
            HeldUpsert.settleRecorded(tunnels.calls(), tunnels.recordedUpsert(e.table(), e.spec(), e.session()), what);
        } catch (Exception ex) {
            if (!MaxComputeErrors.isExpiredSession(ex)) throw ex;
        }
        settled.put(e.session(), true);
        LOG.infof("%s: its commit has ended; its rows may be written again", what);
    }

    /** Whether the overwrite a marker names already happened. */
    boolean overwritten(String marker) {
        return log.overwritten(marker) || recovered.contains(marker);
    }

    /** Overwrites found committed since the last call, to record. */
    Set<String> takeRecoveredMarkers() {
        if (markers.isEmpty()) return Set.of();
        Set<String> out = new LinkedHashSet<>(markers);
        markers.clear();
        return out;
    }
}
