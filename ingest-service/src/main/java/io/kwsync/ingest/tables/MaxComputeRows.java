package io.kwsync.ingest.tables;

import com.aliyun.odps.Column;
import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;
import io.kwsync.ingest.config.WriterSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of one run from a MaxCompute table, or one partition of it, through a tunnel download session: the
 * session fixes the rows as they are when it is created, and its record reader streams them. The configured columns
 * (default all, in the table's order) are picked from each record. Waits are bounded by the SDK's connect and read
 * timeouts; the SDK's own retries are cut to one, the run's rerun policy retries.
 */
final class MaxComputeRows implements RowSource {

    private static final int CONNECT_TIMEOUT_S = 10;
    private static final int READ_TIMEOUT_S = 120;

    private final TunnelRecordReader reader;
    private final List<String> columns;
    private final List<Column> schema;
    private final int[] picked;

    private MaxComputeRows(TunnelRecordReader reader, List<Column> schema, List<String> wanted) {
        this.reader = reader;
        this.schema = schema;
        List<String> names = new ArrayList<>();
        picked = new int[wanted.isEmpty() ? schema.size() : wanted.size()];
        for (int i = 0; i < picked.length; i++) {
            int at = wanted.isEmpty() ? i : indexOf(schema, wanted.get(i));
            picked[i] = at;
            names.add(schema.get(at).getName());
        }
        columns = List.copyOf(names);
    }

    private static int indexOf(List<Column> schema, String name) {
        for (int i = 0; i < schema.size(); i++) if (schema.get(i).getName().equalsIgnoreCase(name)) return i;
        List<String> known = schema.stream().map(Column::getName).toList();
        throw new SourceException("the table has no column " + name + " (KWSYNC_WRITER_SOURCE_COLUMNS); its columns are "
                + String.join(", ", known) + " (partition columns are not part of the rows)", false, null);
    }

    /**
     * @param partition the partition spec (ds=20221121), or null for an unpartitioned table
     * @throws SourceException when the session cannot be created or opened
     */
    static MaxComputeRows open(WriterSource.MaxCompute mc, String table, String partition, List<String> columns) {
        Odps odps = new Odps(new AliyunAccount(mc.accessId(), mc.accessKey()));
        odps.setEndpoint(mc.endpoint());
        odps.setDefaultProject(mc.project());
        odps.setUserAgent("kwsync-writer");
        odps.getRestClient().setRetryTimes(1);
        odps.getRestClient().setConnectTimeout(CONNECT_TIMEOUT_S);
        odps.getRestClient().setReadTimeout(READ_TIMEOUT_S);
        TableTunnel tunnel = new TableTunnel(odps);
        if (mc.tunnelEndpoint() != null) tunnel.setEndpoint(mc.tunnelEndpoint());
        tunnel.getConfig().setSocketConnectTimeout(CONNECT_TIMEOUT_S);
        tunnel.getConfig().setSocketTimeout(READ_TIMEOUT_S);
        String what = mc.project() + "." + table + (partition == null ? "" : " partition " + partition);
        try {
            TableTunnel.DownloadSession s = partition == null ? tunnel.createDownloadSession(mc.project(), table)
                    : tunnel.createDownloadSession(mc.project(), table, new PartitionSpec(partition));
            long count = s.getRecordCount();
            TunnelRecordReader reader = count == 0 ? null : s.openRecordReader(0, count);
            return new MaxComputeRows(reader, s.getSchema().getColumns(), columns);
        } catch (TunnelException | IOException | RuntimeException e) {
            if (e instanceof SourceException se) throw se;
            throw failure("cannot open a download session of " + what, e);
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public Object[] next() {
        if (reader == null) return null;
        try {
            Record r = reader.read();
            if (r == null) return null;
            Object[] row = new Object[picked.length];
            for (int i = 0; i < picked.length; i++) row[i] = MaxComputeValues.read(r, picked[i], schema.get(picked[i]));
            return row;
        } catch (IOException | RuntimeException e) {
            throw failure("cannot read the download session's records", e);
        }
    }

    /** A missing table or partition, or a refused permission, is the configuration's or the data's: no rerun helps... */
    static SourceException failure(String what, Exception e) {
        String text = String.valueOf(e.getMessage());
        String lower = text.toLowerCase(Locale.ROOT);
        boolean missing = e instanceof NoSuchObjectException || lower.contains("nosuchtable") || lower.contains("nosuchpartition")
                || lower.contains("no such partition") || lower.contains("does not exist");
        boolean denied = lower.contains("nopermission") || lower.contains("accessdenied") || lower.contains("signature")
                || e instanceof OdpsException oe && "NoPermission".equals(oe.getErrorCode());
        // ...except a partition that is not there yet: upstream may still be producing it, a rerun may find it
        boolean retriable = !denied && (!missing || lower.contains("partition"));
        return new SourceException(what + ": " + text, retriable, e);
    }

    @Override
    public void close() {
        if (reader == null) return;
        try {
            reader.close();
        } catch (IOException ignored) {
            // the session's data connection is gone either way
        }
    }
}
