package io.kwsync.sink.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.impl.UpsertSessionImpl;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import com.aliyun.odps.data.RecordPack;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.nio.NioEventLoopGroup;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the tunnel sessions of a batch: an upload session (append or overwrite) whose rows go up as one block, or an
 * upsert session on a transactional primary-key table. Upsert sessions share one network thread instead of
 * starting their own per session.
 */
final class TunnelSessions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TunnelSessions.class);
    private static final Long[] BLOCK_0 = {0L};

    private final TableTunnel tunnel;
    private final String project;
    private final CompressOption compression;
    private NioEventLoopGroup upsertGroup;
    private Bootstrap upsertBootstrap;

    TunnelSessions(TableTunnel tunnel, String project, CompressOption compression) {
        this.tunnel = tunnel;
        this.project = project;
        this.compression = compression;
    }

    /** What one session took: the rows written, the rows the table refused, and JSON keys without a column. */
    record Written(List<RowEvent> rows, List<Rejected> rejected, int unknownKeys) {
    }

    /** Takes converted records (a block being built, an upsert stream). */
    @FunctionalInterface
    interface RecordTarget {
        void add(Record record) throws Exception;
    }

    /** Converts rows into {@code record} (reused) and hands each to {@code target}; refused rows are returned, not added. */
    static Written convert(TableInfo table, List<RowEvent> input, Record record, RecordTarget target) throws Exception {
        List<RowEvent> written = new ArrayList<>(input.size());
        List<Rejected> rejected = new ArrayList<>();
        int unknown = 0;
        for (RowEvent r : input) {
            try {
                unknown += RecordFiller.fill(record, table, r.columns());
            } catch (RecordFiller.Refused e) {
                rejected.add(new Rejected(r, e.dirty(table.name)));
                continue;
            }
            target.add(record);
            written.add(r);
        }
        return new Written(written, rejected, unknown);
    }

    /** One open session of a batch. */
    abstract static class Open {
        private final TableInfo table;
        private final String spec;
        private final String job;
        private List<RowEvent> rows = List.of();

        Open(TableInfo table, String spec, String job) {
            this.table = table;
            this.spec = spec;
            this.job = job;
        }

        TableInfo table() {
            return table;
        }

        String spec() {
            return spec;
        }

        String job() {
            return job;
        }

        List<RowEvent> rows() {
            return rows;
        }

        abstract String id();

        abstract boolean overwrite();

        abstract boolean upsert();

        /** Converts and sends the rows; nothing is visible before {@link #commit}. */
        Written write(List<RowEvent> input) throws Exception {
            Written w = convert(table, input, newRecord(), this::add);
            if (!w.rows().isEmpty()) send();
            rows = w.rows();
            return w;
        }

        abstract Record newRecord();

        abstract void add(Record record) throws Exception;

        abstract void send() throws Exception;

        abstract void commit() throws Exception;

        /** Gives the session up after a failure; best effort. */
        abstract void abandon();
    }

    Open upload(TableInfo t, PartitionSpec partition, String spec, boolean overwrite, String job) throws TunnelException, IOException {
        TableTunnel.UploadSession s = partition == null ? tunnel.createUploadSession(project, t.name, overwrite)
                : tunnel.createUploadSession(project, t.name, partition, overwrite);
        RecordPack pack = s.newRecordPack(compression);
        return new Open(t, spec, job) {
            @Override
            String id() {
                return s.getId();
            }

            @Override
            boolean overwrite() {
                return overwrite;
            }

            @Override
            boolean upsert() {
                return false;
            }

            @Override
            Record newRecord() {
                return s.newRecord();
            }

            @Override
            void add(Record record) throws IOException {
                pack.append(record);
            }

            @Override
            void send() throws IOException {
                s.writeBlock(0, pack);
            }

            @Override
            void commit() throws TunnelException, IOException {
                // an overwrite with nothing to write must not empty the partition
                if (!rows().isEmpty()) s.commit(BLOCK_0);
            }

            @Override
            void abandon() {
                // an upload session that is never committed expires on the service side
            }
        };
    }

    Open upsert(TableInfo t, PartitionSpec partition, String spec) throws TunnelException, IOException {
        UpsertSessionImpl.Builder b = (UpsertSessionImpl.Builder) tunnel.buildUpsertSession(project, t.name);
        if (partition != null) b.setPartitionSpec(partition);
        b.setNettyBootStrap(bootstrap());
        TableTunnel.UpsertSession s = b.build();
        UpsertStream stream;
        try {
            stream = s.buildUpsertStream().setCompressOption(compression).build();
        } catch (TunnelException | IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return new Open(t, spec, null) {
            @Override
            String id() {
                return s.getId();
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
            Record newRecord() {
                return s.newRecord();
            }

            @Override
            void add(Record record) throws TunnelException, IOException {
                stream.upsert(record);
            }

            @Override
            void send() throws TunnelException, IOException {
                stream.close();
            }

            @Override
            void commit() throws TunnelException {
                try {
                    if (!rows().isEmpty()) s.commit(false);
                } finally {
                    s.close();
                }
            }

            @Override
            void abandon() {
                try {
                    s.abort();
                } catch (Exception e) {
                    LOG.debugf("aborting upsert session %s failed: %s", s.getId(), e.getMessage());
                } finally {
                    s.close();
                }
            }
        };
    }

    /** Whether an upload session was committed; a session the tunnel no longer knows was not. */
    boolean committed(String table, String spec, String id) {
        try {
            TableTunnel.UploadSession s = spec.isEmpty() ? tunnel.getUploadSession(project, table, id)
                    : tunnel.getUploadSession(project, table, TableCatalog.spec(parse(spec)), id);
            return s.getStatus() == TableTunnel.UploadStatus.CLOSED;
        } catch (TunnelException e) {
            if ("NoSuchUpload".equals(e.getErrorCode()) || Integer.valueOf(404).equals(e.getStatus())) return false;
            throw new IllegalStateException(MaxComputeErrors.describe(e, "cannot ask the tunnel about session " + id), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask the tunnel about session " + id + ": " + e.getMessage(), e);
        }
    }

    private static java.util.Map<String, String> parse(String spec) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String kv : spec.split(",")) m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        return m;
    }

    private synchronized Bootstrap bootstrap() {
        if (upsertBootstrap == null) {
            upsertGroup = new NioEventLoopGroup(1);
            upsertBootstrap = UpsertSessionImpl.generateNettyBootstrap(tunnel.getConfig(), upsertGroup);
        }
        return upsertBootstrap;
    }

    @Override
    public synchronized void close() {
        if (upsertGroup != null) upsertGroup.shutdownGracefully().syncUninterruptibly();
    }
}
