package io.kwsync.sink.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.tunnel.TableTunnel;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.maxcompute.TunnelSessions.Written;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream write mode (KWSYNC_MAXCOMPUTE_WRITE_MODE=stream): one streaming-tunnel session per destination partition,
 * kept for most of its 24-hour life, and each write's rows for the partition sent as one record pack whose flush makes
 * them visible at once, without a commit. At least once: a flush that fails is sent again by the next attempt, and a
 * flush can land although the SDK reports a failure (the JDK's HTTP client sends a PUT again when its connection closes
 * without an answer, so its rows land twice while the SDK reports success); a crash between a flush and the record of
 * its offsets writes those rows again after the restart.
 *
 * <p>Not thread-safe: the sink's writer thread owns it.
 */
final class StreamTargets {

    private record Target(TableTunnel.StreamUploadSession session, Instant opened) {
    }

    private final TunnelSessions tunnels;
    private final Pacing pacing;
    /**
     * At most {@code maxTargets}, least recently written first out: time partitions and routed tables keep coming, and
     * a streaming session needs no commit, so one dropped costs only a new session when its partition has rows again.
     */
    private final Map<SessionKey, Target> targets;

    StreamTargets(TunnelSessions tunnels, Pacing pacing, int maxTargets) {
        if (maxTargets < 1) throw new IllegalArgumentException("maxTargets < 1");
        this.tunnels = tunnels;
        this.pacing = pacing;
        this.targets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SessionKey, Target> eldest) {
                return size() > maxTargets;
            }
        };
    }

    /** Streaming sessions held now. */
    int size() {
        return targets.size();
    }

    /** Sends the rows of one partition and returns once they are visible; refused rows are returned, not sent. */
    Written write(SessionKey key, TableInfo table, PartitionSpec partition, List<RowEvent> rows, Instant now) throws Exception {
        Target t = targets.get(key);
        if (t == null || pacing.nearEnd(t.opened(), now)) {
            t = new Target(tunnels.stream(table, partition), now);
            targets.put(key, t);
        }
        TableTunnel.StreamUploadSession session = t.session();
        try {
            return tunnels.calls().call(session.getId(), "flushing rows to the streaming session of " + table.name
                    + (key.spec().isEmpty() ? "" : "/" + key.spec()), () -> {
                TableTunnel.StreamRecordPack pack = session.newRecordPack(tunnels.compression());
                Written w = TunnelSessions.convert(table, rows, session.newRecord(), pack::append);
                if (pack.getRecordCount() > 0) pack.flush();
                return w;
            });
        } catch (Exception e) {
            // an expired session, or one the tunnel forgot: the next attempt opens a new one
            if (MaxComputeErrors.isExpiredSession(e)) targets.remove(key);
            throw e;
        }
    }

    void forget(String table) {
        targets.keySet().removeIf(k -> k.table().equals(table));
    }
}
