package io.kwsync.sink.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.account.Account;
import com.aliyun.odps.task.SQLTask;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.maxcompute.MaxComputeConfig.Compression;
import io.kwsync.sink.maxcompute.MaxComputeConfig.CreateTable;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import org.jboss.logging.Logger;

import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDK clients of the MaxCompute destination, and what it checks at start without writing: the credentials, the
 * project, the table (created when asked and missing) and whether the write mode fits the table. A problem that no
 * retry can fix stops the service with a message naming the variable or the permission to grant. The SDK retries
 * as little as it lets itself be told (its tunnel retries some answers whatever it is told, which the deadlines of
 * {@link SdkCalls} cut short): the sink retries whole batches (KWSYNC_SINK_RETRY_*). The SDK's socket timeouts follow
 * KWSYNC_MAXCOMPUTE_CALL_TIMEOUT, so that a call given up on also ends on its own soon after.
 */
final class MaxComputeClients {

    private static final Logger LOG = Logger.getLogger(MaxComputeClients.class);

    private MaxComputeClients() {
    }

    static Odps odps(MaxComputeSettings m, Clock clock) {
        return odps(m.credentials().account(clock), m.endpoint(), m.project(), m.callTimeout());
    }

    static TableTunnel tunnel(MaxComputeSettings m, Odps odps) {
        return tunnel(odps, m.tunnelEndpoint(), m.callTimeout());
    }

    /** @param endpoint null: the service names it */
    static TableTunnel tunnel(Odps odps, String endpoint, Duration callTimeout) {
        TableTunnel tunnel = new TableTunnel(odps);
        if (endpoint != null) tunnel.setEndpoint(endpoint);
        int seconds = socketSeconds(callTimeout);
        tunnel.getConfig().setSocketConnectTimeout(Math.min(seconds, 10));
        tunnel.getConfig().setSocketTimeout(seconds);
        return tunnel;
    }

    static CompressOption compression(MaxComputeSettings m) {
        return m.compression() == Compression.ZLIB ? new CompressOption()
                : new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);
    }

    /**
     * The start-up checks of the streaming sink: the project, then the fixed table if there is one (created when
     * KWSYNC_MAXCOMPUTE_CREATE_TABLE says so). A service that cannot be reached yet is not a failure: the sink starts
     * not ready and retries.
     */
    static void checkAtStart(MaxComputeSettings m, Odps odps, TableCatalog catalog, SdkCalls calls) {
        checkKeyless(odps);
        if (checkProject(odps, m.project(), m.endpoint(), m.credentials(), calls) && m.table() != null) {
            checkTable(odps, catalog, m, m.project(), m.table(), calls);
        }
    }

    static Odps odps(Account account, String endpoint, String project, Duration callTimeout) {
        Odps odps = new Odps(account);
        odps.setEndpoint(endpoint);
        odps.setDefaultProject(project);
        odps.setUserAgent("kwsync-sink");
        // the sink retries whole batches itself (KWSYNC_SINK_RETRY_*); the SDK should fail fast
        odps.getRestClient().setRetryTimes(1);
        int seconds = socketSeconds(callTimeout);
        odps.getRestClient().setConnectTimeout(Math.min(seconds, 10));
        odps.getRestClient().setReadTimeout(seconds);
        return odps;
    }

    /**
     * The SDK's socket timeouts: a little longer than the call deadline, so that the deadline is what ends a call (with
     * its clear message), and a call given up on still ends on its own shortly after ({@link SdkCalls#awaitQuiet}).
     */
    static int socketSeconds(Duration callTimeout) {
        return (int) Math.max(1, callTimeout.toSeconds()) + SdkCalls.SOCKET_MARGIN_SECONDS;
    }

    /**
     * Keyless credentials must give something at start: the default chain that finds nothing (no variables, no role)
     * is a configuration problem, not an outage. The library's own deadlines bound the metadata calls of the chain.
     */
    private static void checkKeyless(Odps odps) {
        KeylessCredentials keyless = Credentials.keyless(odps.getAccount());
        if (keyless == null) return;
        try {
            keyless.getCredentials();
        } catch (RuntimeException e) {
            throw fatal(keyless.problem() != null ? keyless.problem()
                    : "KWSYNC_MAXCOMPUTE_CREDENTIALS: no credentials from " + keyless + ": " + e.getMessage());
        }
    }

    /** True when the project answered; false when the service cannot be reached yet (the sink starts not ready). */
    private static boolean checkProject(Odps odps, String project, String endpoint, Credentials credentials, SdkCalls calls) {
        try {
            calls.call("reading project " + project, () -> {
                odps.projects().get(project).reload();
                return null;
            });
            return true;
        } catch (NoSuchObjectException e) {
            throw fatal("KWSYNC_MAXCOMPUTE_PROJECT (kwsync.maxcompute.project): project '" + project + "' does not exist at "
                    + endpoint + " (check KWSYNC_MAXCOMPUTE_ENDPOINT too; it ends in /api)");
        } catch (Exception e) {
            if (hasCause(e, UnknownHostException.class)) {
                throw fatal("KWSYNC_MAXCOMPUTE_ENDPOINT (kwsync.maxcompute.endpoint): unknown host in " + endpoint);
            }
            if (!MaxComputeErrors.retriable(e)) {
                throw fatal(MaxComputeErrors.describe(e, "KWSYNC_MAXCOMPUTE_PROJECT " + project, credentials.whatToCheck()));
            }
            LOG.warnf("MaxCompute at %s not reachable yet (%s); the sink starts not ready and retries", endpoint, e.getMessage());
            return false;
        }
    }

    private static void checkTable(Odps odps, TableCatalog catalog, MaxComputeSettings m, String project, String table,
                                   SdkCalls calls) {
        try {
            TableInfo t;
            try {
                t = catalog.get(table);
            } catch (NoSuchObjectException e) {
                if (String.valueOf(e.getMessage()).contains("Schema not found")) { // creating the table cannot help
                    throw fatal("KWSYNC_MAXCOMPUTE_TABLE (kwsync.maxcompute.table): the schema of " + QualifiedTable.parse(table, project)
                            + " does not exist (" + e.getMessage().strip() + "); create the schema (the sink creates tables, not schemas)");
                }
                if (m.createTable() == CreateTable.NEVER) {
                    throw fatal("KWSYNC_MAXCOMPUTE_TABLE (kwsync.maxcompute.table): table " + QualifiedTable.parse(table, project)
                            + " does not exist; create it (GET /api/maxcompute/ddl gives the statement) or set KWSYNC_MAXCOMPUTE_CREATE_TABLE");
                }
                QualifiedTable q = QualifiedTable.parse(table, project);
                String ddl = createStatement(m, project, table);
                calls.call("creating table " + q, () -> {
                    // a three-level name needs the SQL hints of the schema model, as the SDK sets them for its own DDL
                    SQLTask.run(odps, project, ddl, "KwsyncCreateTable", q.hints(), null).waitForSuccess();
                    return null;
                });
                LOG.infof("created table %s:%n%s", q, ddl);
                t = catalog.get(table);
            }
            if (m.writeMode() == WriteMode.UPSERT && !t.delta) {
                throw fatal("KWSYNC_MAXCOMPUTE_WRITE_MODE (kwsync.maxcompute.write-mode): upsert needs a transactional table"
                        + " with a primary key, and " + project + "." + table + " is not one");
            }
        } catch (Exception e) {
            if (e instanceof InvalidConfigurationException ice) throw ice;
            if (!MaxComputeErrors.retriable(e)) {
                throw fatal(MaxComputeErrors.describe(e, "KWSYNC_MAXCOMPUTE_TABLE " + project + "." + table, m.credentials().whatToCheck()));
            }
            LOG.warnf("cannot check table %s.%s yet (%s); will retry on the first write", project, table, e.getMessage());
        }
    }

    static String createStatement(MaxComputeSettings m, String project, String table) {
        List<MaxComputeDdl.ColumnDef> columns = new ArrayList<>(m.createTable() == CreateTable.KEY_VALUE
                ? MaxComputeDdl.KEY_VALUE : MaxComputeDdl.BUILT_IN);
        m.createTableColumns().forEach(c -> columns.add(MaxComputeDdl.column(c)));
        QualifiedTable q = QualifiedTable.parse(table, project);
        String name = q.schema() == null ? q.name() : q.schema() + "." + q.name();
        return MaxComputeDdl.createTable(project, name, columns, m.createTablePrimaryKey(), m.createTablePartitionColumns(), m.lifecycle());
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
