package io.kwsync.sink.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.task.SQLTask;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.config.SinkConfig;
import org.jboss.logging.Logger;

import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the MaxCompute sink from configuration and checks at start what can be checked without writing: the
 * credentials, the project, the table (created when asked and missing) and whether the write mode fits the table.
 * A problem that no retry can fix stops the service with a message naming the variable or the permission to grant.
 */
public final class MaxComputeSinks {

    private static final Logger LOG = Logger.getLogger(MaxComputeSinks.class);

    private MaxComputeSinks() {
    }

    public static MaxComputeRowSink create(SinkConfig config, Map<String, Object> kafkaConfig) {
        SinkConfig.MaxCompute m = config.maxcompute();
        String project = m.project().orElseThrow();
        String endpoint = m.endpoint().orElseThrow();
        Credentials credentials = Credentials.of(m.accessId(), m.accessIdFile(), m.accessKey(), m.accessKeyFile());
        Odps odps = odps(credentials, endpoint, project);
        TableTunnel tunnel = new TableTunnel(odps);
        m.tunnelEndpoint().ifPresent(tunnel::setEndpoint);
        TableCatalog catalog = new TableCatalog(odps, project);
        if (checkProject(odps, project, endpoint) && m.table().isPresent()) {
            checkTable(odps, catalog, m, project, m.table().get());
        }
        CompressOption compression = compression(m);
        CommitLog log = new CommitLog(kafkaConfig, m.progressTopic(), config.kafka().createTopics());
        LOG.infof("MaxCompute sink ready: project %s at %s, table %s, write mode %s", project, endpoint,
                m.table().orElse("(each row's own)"), m.writeMode().name().toLowerCase());
        return new MaxComputeRowSink(odps, project, m.table().orElse(null), m.writeMode(), catalog,
                new TunnelSessions(tunnel, project, compression), log);
    }

    /**
     * The window-job store: its own SDK client and tunnel, and its own reader and writer of the progress topic (it keeps
     * each run's state there under keys of its own). Created on the first job item, after {@link #create} checked the
     * configuration.
     */
    public static MaxComputeJobStore createJobStore(SinkConfig config, Map<String, Object> kafkaConfig, Clock clock) {
        SinkConfig.MaxCompute m = config.maxcompute();
        String project = m.project().orElseThrow();
        Credentials credentials = Credentials.of(m.accessId(), m.accessIdFile(), m.accessKey(), m.accessKeyFile());
        Odps odps = odps(credentials, m.endpoint().orElseThrow(), project);
        TableTunnel tunnel = new TableTunnel(odps);
        m.tunnelEndpoint().ifPresent(tunnel::setEndpoint);
        CommitLog log = new CommitLog(kafkaConfig, m.progressTopic(), config.kafka().createTopics());
        return new MaxComputeJobStore(project, m.table().orElse(null), new TableCatalog(odps, project), tunnel, compression(m),
                log, clock);
    }

    private static CompressOption compression(SinkConfig.MaxCompute m) {
        return m.compression() == SinkConfig.Compression.ZLIB ? new CompressOption()
                : new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);
    }

    static Odps odps(Credentials credentials, String endpoint, String project) {
        Odps odps = new Odps(new AliyunAccount(credentials.accessId(), credentials.accessKey()));
        odps.setEndpoint(endpoint);
        odps.setDefaultProject(project);
        odps.setUserAgent("kwsync-sink");
        // the sink retries whole batches itself (KWSYNC_SINK_RETRY_*); the SDK should fail fast
        odps.getRestClient().setRetryTimes(1);
        odps.getRestClient().setConnectTimeout(10);
        odps.getRestClient().setReadTimeout(120);
        return odps;
    }

    /** True when the project answered; false when the service cannot be reached yet (the sink starts not ready). */
    private static boolean checkProject(Odps odps, String project, String endpoint) {
        try {
            odps.projects().get(project).reload();
            return true;
        } catch (NoSuchObjectException e) {
            throw fatal("KWSYNC_MAXCOMPUTE_PROJECT (kwsync.maxcompute.project): project '" + project + "' does not exist at "
                    + endpoint + " (check KWSYNC_MAXCOMPUTE_ENDPOINT too; it ends in /api)");
        } catch (OdpsException | RuntimeException e) {
            if (hasCause(e, UnknownHostException.class)) {
                throw fatal("KWSYNC_MAXCOMPUTE_ENDPOINT (kwsync.maxcompute.endpoint): unknown host in " + endpoint);
            }
            if (!MaxComputeErrors.retriable(e)) throw fatal(MaxComputeErrors.describe(e, "KWSYNC_MAXCOMPUTE_PROJECT " + project));
            LOG.warnf("MaxCompute at %s not reachable yet (%s); the sink starts not ready and retries", endpoint, e.getMessage());
            return false;
        }
    }

    private static void checkTable(Odps odps, TableCatalog catalog, SinkConfig.MaxCompute m, String project, String table) {
        try {
            TableInfo t;
            try {
                t = catalog.get(table);
            } catch (NoSuchObjectException e) {
                if (m.createTable() == SinkConfig.CreateTable.NEVER) {
                    throw fatal("KWSYNC_MAXCOMPUTE_TABLE (kwsync.maxcompute.table): table " + project + "." + table
                            + " does not exist; create it (GET /api/maxcompute/ddl gives the statement) or set KWSYNC_MAXCOMPUTE_CREATE_TABLE");
                }
                String ddl = createStatement(m, project, table);
                SQLTask.run(odps, project, ddl, "KwsyncCreateTable", null, null).waitForSuccess();
                LOG.infof("created table %s.%s:%n%s", project, table, ddl);
                t = catalog.get(table);
            }
            if (m.writeMode() == SinkConfig.WriteMode.UPSERT && !t.delta) {
                throw fatal("KWSYNC_MAXCOMPUTE_WRITE_MODE (kwsync.maxcompute.write-mode): upsert needs a transactional table"
                        + " with a primary key, and " + project + "." + table + " is not one");
            }
        } catch (OdpsException | RuntimeException e) {
            if (e instanceof InvalidConfigurationException ice) throw ice;
            if (!MaxComputeErrors.retriable(e)) throw fatal(MaxComputeErrors.describe(e, "KWSYNC_MAXCOMPUTE_TABLE " + project + "." + table));
            LOG.warnf("cannot check table %s.%s yet (%s); will retry on the first write", project, table, e.getMessage());
        }
    }

    static String createStatement(SinkConfig.MaxCompute m, String project, String table) {
        List<MaxComputeDdl.ColumnDef> columns = new ArrayList<>(m.createTable() == SinkConfig.CreateTable.KEY_VALUE
                ? MaxComputeDdl.KEY_VALUE : MaxComputeDdl.BUILT_IN);
        m.createTableColumns().orElse(List.of()).forEach(c -> columns.add(MaxComputeDdl.column(c)));
        return MaxComputeDdl.createTable(project, table, columns, m.createTablePartitionColumns(), m.lifecycle());
    }

    private static InvalidConfigurationException fatal(String message) {
        return new InvalidConfigurationException(List.of(message));
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }
}
