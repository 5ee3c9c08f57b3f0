package io.kwsync.sink.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Opens tunnel sessions through the SDK's public API, each call under the deadline of {@link SdkCalls}: upload
 * sessions (append or overwrite) and upsert sessions held open across writes ({@link HeldSession}), streaming-tunnel
 * sessions, and, after a restart, an upload session another process recorded. Converts rows into the SDK's records.
 */
final class TunnelSessions implements AutoCloseable {

    private final TableTunnel tunnel;
    private final String project;
    private final CompressOption compression;
    private final SdkCalls calls;
    private final ExecutorService closer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kwsync-maxcompute-closer");
        t.setDaemon(true);
        return t;
    });

    TunnelSessions(TableTunnel tunnel, String project, CompressOption compression, SdkCalls calls) {
        this.tunnel = tunnel;
        this.project = project;
        this.compression = compression;
        this.calls = calls;
    }

    SdkCalls calls() {
        return calls;
    }

    CompressOption compression() {
        return compression;
    }

    /** What one session took: the rows written, the rows the table refused, and JSON keys without a column. */
    record Written(List<RowEvent> rows, List<Rejected> rejected, int unknownKeys) {
    }

    /** Takes converted records (a block being built, an upsert stream). */
    @FunctionalInterface
    interface RecordTarget {
        void add(Record record) throws Exception;
    }

    /** Where converted rows go when the operation matters (an upsert session: upsert or delete). */
    interface RowTarget {
        void add(RowEvent row, Record record) throws Exception;
    }

    /** Converts rows into {@code record} (reused) and hands each to {@code target}; refused rows are returned, not added. */
    static Written convert(TableInfo table, List<RowEvent> input, Record record, RecordTarget target) throws Exception {
        return convertRows(table, input, record, (row, rec) -> target.add(rec));
    }

    /** As {@link #convert}, handing the row with its record. */
    static Written convertRows(TableInfo table, List<RowEvent> input, Record record, RowTarget target) throws Exception {
        List<RowEvent> written = new ArrayList<>(input.size());
        List<Rejected> rejected = new ArrayList<>();
        int unknown = 0;
        RecordFiller filler = new RecordFiller(table, record);
        for (RowEvent r : input) {
            try {
                unknown += filler.fill(r.columns());
            } catch (RecordFiller.Refused e) {
                rejected.add(new Rejected(r, e.dirty(table.name)));
                continue;
            }
            target.add(r, record);
            written.add(r);
        }
        return new Written(written, rejected, unknown);
    }

    /** An upload session, its age counted from when the service answered (its creation): {@code clock} then. */
    HeldSession upload(SessionKey key, TableInfo t, PartitionSpec partition, boolean overwrite, Clock clock) throws Exception {
        TableTunnel.UploadSession s = calls.call("opening an upload session on " + t.name + "/" + key.spec(),
                () -> partition == null ? tunnel.createUploadSession(project, t.schemaName, t.tableName, overwrite)
                        : tunnel.createUploadSession(project, t.schemaName, t.tableName, partition, overwrite));
        return new HeldUpload(key, t, partition, clock.instant(), s, overwrite, calls, compression);
    }

    HeldSession upsert(SessionKey key, TableInfo t, PartitionSpec partition, Clock clock) throws Exception {
        long millis = MaxComputeClients.socketSeconds(calls.timeout()) * 1000L;
        TableTunnel.UpsertSession s = calls.call("opening an upsert session on " + t.name + "/" + key.spec(), () -> {
            TableTunnel.UpsertSession.Builder b = tunnel.buildUpsertSession(project, t.tableName).setSchemaName(t.schemaName)
                    .setConnectTimeout(millis).setReadTimeout(millis).setCommitTimeout(millis);
            if (partition != null) b.setPartitionSpec(partition);
            return b.build();
        });
        return new HeldUpsert(key, t, partition, clock.instant(), s, calls, compression, closer);
    }

    /** A streaming-tunnel session; it creates the partition when missing. */
    TableTunnel.StreamUploadSession stream(TableInfo t, PartitionSpec partition) throws Exception {
        return calls.call("opening a streaming session on " + t.name + (partition == null ? "" : "/" + partition), () -> {
            TableTunnel.StreamUploadSession.Builder b = tunnel.buildStreamUploadSession(project, t.tableName)
                    .setSchemaName(t.schemaName);
            if (partition != null) b.setPartitionSpec(partition).setCreatePartition(true);
            return b.build();
        });
    }

    /** An upload session recorded by an earlier process; {@code spec} in the recorded spelling, "" when unpartitioned. */
    TableTunnel.UploadSession recorded(String table, String spec, String id) throws Exception {
        QualifiedTable q = QualifiedTable.parse(table, project);
        return calls.call(id, "reloading upload session " + id + " of " + table, () -> spec.isEmpty()
                ? tunnel.getUploadSession(project, q.schema(), q.name(), id)
                : tunnel.getUploadSession(project, q.schema(), q.name(), TableCatalog.spec(parse(spec)), id));
    }

    /** An upsert session recorded by an earlier process. */
    TableTunnel.UpsertSession recordedUpsert(String table, String spec, String id) throws Exception {
        long millis = MaxComputeClients.socketSeconds(calls.timeout()) * 1000L;
        return calls.call(id, "reloading upsert session " + id + " of " + table, () -> {
            QualifiedTable q = QualifiedTable.parse(table, project);
            TableTunnel.UpsertSession.Builder b = tunnel.buildUpsertSession(project, q.name()).setSchemaName(q.schema()).setUpsertId(id)
                    .setConnectTimeout(millis).setReadTimeout(millis).setCommitTimeout(millis);
            if (!spec.isEmpty()) b.setPartitionSpec(TableCatalog.spec(parse(spec)));
            return b.build();
        });
    }

    static Map<String, String> parse(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec.isEmpty()) return m;
        for (String kv : spec.split(",")) m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        return m;
    }

    /** How long upsert sessions' network threads get to stop at shutdown. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    @Override
    public void close() {
        closer.shutdown();
        try {
            closer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
