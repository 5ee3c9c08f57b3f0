package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the MaxCompute destination's parts as {@link MaxComputeDestination} does, pointed at an emulator (the real SDK
 * over HTTP) and the real broker for the commit log. A "restart" in a test is a new sink on the same progress topic.
 */
final class Sinks {

    /** Sessions committed as soon as the sink is asked: every {@code commitDue} commits everything open. */
    static final Pacing AT_ONCE = new Pacing(Duration.ZERO, Pacing.MAX_BYTES, Pacing.MAX_BLOCKS, Pacing.SESSION_LIFETIME);

    private Sinks() {
    }

    static Odps odps(MaxComputeEmulator mc, String project, Duration callTimeout) {
        return MaxComputeClients.odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY), mc.endpoint(),
                project, callTimeout);
    }

    static MaxComputeRowSink sink(MaxComputeEmulator mc, String project, String progressTopic, WriteMode mode, String fixedTable,
                                  Pacing pacing, Clock clock, Duration callTimeout) {
        return sink(mc, project, progressTopic, mode, fixedTable, pacing, clock, callTimeout, TableCatalog.DEFAULT_MAX_TABLES);
    }

    /** The same, with room for {@code maxTables} tables (KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE). */
    static MaxComputeRowSink sink(MaxComputeEmulator mc, String project, String progressTopic, WriteMode mode, String fixedTable,
                                  Pacing pacing, Clock clock, Duration callTimeout, int maxTables) {
        return sink(odps(mc, project, callTimeout), project, progressTopic, mode, fixedTable, pacing, clock, callTimeout, maxTables);
    }

    /** The same with a client of the test's own (another account). */
    static MaxComputeRowSink sink(Odps odps, String project, String progressTopic, WriteMode mode, String fixedTable,
                                  Pacing pacing, Clock clock, Duration callTimeout, int maxTables) {
        SdkCalls calls = new SdkCalls(callTimeout);
        CommitLog log = new CommitLog(Map.of("bootstrap.servers", TestKafka.bootstrap()), progressTopic, true);
        return new MaxComputeRowSink(odps, project, fixedTable, mode, new TableCatalog(odps, project, calls, maxTables),
                new TunnelSessions(MaxComputeClients.tunnel(odps, null, callTimeout), project, new CompressOption(), calls), log,
                pacing, clock, null);
    }

    /** A sink that adds columns for new keys (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS), at most {@code maxColumns} per table. */
    static MaxComputeRowSink addingColumns(MaxComputeEmulator mc, String project, String progressTopic, WriteMode mode, Pacing pacing,
                                           Clock clock, int maxColumns, MeterRegistry registry) {
        Duration callTimeout = Duration.ofSeconds(30);
        Odps odps = odps(mc, project, callTimeout);
        SdkCalls calls = new SdkCalls(callTimeout);
        TableCatalog catalog = new TableCatalog(odps, project, calls);
        CommitLog log = new CommitLog(Map.of("bootstrap.servers", TestKafka.bootstrap()), progressTopic, true);
        return new MaxComputeRowSink(odps, project, null, mode, catalog,
                new TunnelSessions(MaxComputeClients.tunnel(odps, null, callTimeout), project, new CompressOption(), calls), log,
                pacing, clock, new ColumnAdder(odps, project, calls, catalog, maxColumns, registry));
    }

    static MaxComputeStaging staging(MaxComputeEmulator mc, String project, Duration callTimeout) {
        Odps odps = odps(mc, project, callTimeout);
        SdkCalls calls = new SdkCalls(callTimeout);
        return new MaxComputeStaging(project, new TableCatalog(odps, project, calls), MaxComputeClients.tunnel(odps, null, callTimeout),
                new CompressOption(), calls);
    }
}
