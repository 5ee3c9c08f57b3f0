package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.kwsync.emulator.maxcompute.Sdk.PROJECT;
import static io.kwsync.emulator.maxcompute.Sdk.pack;
import static io.kwsync.emulator.maxcompute.Sdk.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-partition counters tests and the benchmark read, and the optional session pacing check. */
class CountersTest {

    @Test
    void sessionsCommitsFilesAndBytesAreCountedPerPartition() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock))) {
            Sdk.addUpsertTable(mc);
            TableTunnel tunnel = Sdk.tunnel(mc);
            TableTunnel.UploadSession first = upload(tunnel, "a");
            first.writeBlock(0, pack(first, 0, 5, 50));
            first.writeBlock(1, pack(first, 5, 5, 50));
            first.commit(new Long[]{0L, 1L});
            clock.advance(Duration.ofMinutes(7));
            TableTunnel.UploadSession second = upload(tunnel, "a");
            second.writeBlock(0, pack(second, 10, 1, 10));
            second.commit(new Long[]{0L});
            clock.advance(Duration.ofSeconds(30));
            upload(tunnel, "a"); // created, never committed
            TableTunnel.UploadSession other = upload(tunnel, "b");
            other.writeBlock(0, pack(other, 0, 1, 10));

            PartitionCounters a = mc.counters(PROJECT, "t", "pt=a");
            assertEquals(3, a.uploadSessions());
            assertEquals(0, a.upsertSessions());
            assertEquals(2, a.commits());
            assertEquals(3, a.committedFiles());
            assertEquals(3, a.blocksUploaded());
            assertEquals(11, a.committedRecords());
            assertEquals(a.uploadedBytes(), a.committedBytes());
            assertTrue(a.committedBytes() > 11 * 50, "wire bytes of the blocks: " + a.committedBytes());
            assertEquals(a.committedBytes() / 3.0, a.averageFileBytes());
            assertEquals(List.of(Duration.ofMinutes(7), Duration.ofSeconds(30)), a.sessionIntervals());
            assertEquals(Optional.of(Duration.ofSeconds(30)), a.shortestSessionInterval());

            PartitionCounters b = mc.counters(PROJECT, "t", "pt=b");
            assertEquals(1, b.uploadSessions());
            assertEquals(0, b.commits());
            assertEquals(0, b.committedBytes());
            assertTrue(b.uploadedBytes() > 0);
            assertEquals(List.of("pt=a", "pt=b"), List.copyOf(mc.counters(PROJECT, "t").keySet()));

            TableTunnel.UpsertSession u = tunnel.buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a")).build();
            try {
                CommittingTest.upsert(u, java.util.Map.of("k1", 1L, "k2", 2L));
                u.commit(false);
            } finally {
                u.close();
            }
            PartitionCounters up = mc.counters(PROJECT, "u", "pt=a");
            assertEquals(1, up.upsertSessions());
            assertEquals(1, up.commits());
            assertEquals(1, up.committedFiles());
            assertEquals(2, up.committedRecords());
        }
    }

    @Test
    void anOverwriteWithoutBlocksEmptiesThePartitionAndCreatesNoFile() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel tunnel = Sdk.tunnel(mc);
            TableTunnel.UploadSession s = upload(tunnel, "a");
            s.writeBlock(0, pack(s, 0, 2, 3));
            s.commit(new Long[]{0L});
            TableTunnel.UploadSession empty = tunnel.createUploadSession(PROJECT, "t", new PartitionSpec("pt=a"), true);
            empty.commit(new Long[0]);
            assertEquals(List.of(), mc.rows(PROJECT, "t", "pt=a"));
            PartitionCounters c = mc.counters(PROJECT, "t", "pt=a");
            assertEquals(2, c.commits());
            assertEquals(1, c.committedFiles());
        }
    }

    @Test
    void theRecommendedPacingIsRecordedAndRefusedOnlyWhenEnforced() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        EmulatorLimits strict = EmulatorLimits.REAL.withEnforcedSessionInterval(Duration.ofMinutes(5));
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock).limits(strict))) {
            Sdk.addUpsertTable(mc);
            TableTunnel tunnel = Sdk.tunnel(mc);
            upload(tunnel, "a");
            clock.advance(Duration.ofMinutes(4));
            TunnelException e = assertThrows(TunnelException.class, () -> upload(tunnel, "a"));
            assertEquals(400, e.getStatus());
            assertEquals("SessionCreationTooFrequent", e.getErrorCode());
            upload(tunnel, "b"); // another partition has its own pace
            TunnelException upsert = assertThrows(TunnelException.class, () -> {
                tunnel.buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a")).build().close();
                tunnel.buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a")).build().close();
            });
            assertEquals("SessionCreationTooFrequent", upsert.getErrorCode());
            clock.advance(Duration.ofMinutes(1));
            upload(tunnel, "a");
            assertEquals(List.of(Duration.ofMinutes(5)), mc.counters(PROJECT, "t", "pt=a").sessionIntervals());
        }
        try (MaxComputeEmulator relaxed = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel tunnel = Sdk.tunnel(relaxed);
            upload(tunnel, "a");
            upload(tunnel, "a");
            assertTrue(relaxed.counters(PROJECT, "t", "pt=a").shortestSessionInterval().orElseThrow()
                    .compareTo(relaxed.limits().minSessionInterval()) < 0, "recorded, not refused, by default");
        }
    }
}
