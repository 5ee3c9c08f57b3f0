package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.kwsync.emulator.maxcompute.Sdk.PROJECT;
import static io.kwsync.emulator.maxcompute.Sdk.pack;
import static io.kwsync.emulator.maxcompute.Sdk.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A commit request that the service takes in but completes later: status "committing", rows not yet visible. */
class CommittingTest {

    @Test
    void anUploadSessionSaysCommittingUntilTheDelayHasPassedOnTheClock() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        EmulatorLimits limits = EmulatorLimits.REAL.withCommitting(Duration.ofMinutes(3), 0);
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock).limits(limits))) {
            TableTunnel tunnel = Sdk.tunnel(mc);
            TableTunnel.UploadSession s = upload(tunnel, "a");
            s.writeBlock(0, pack(s, 0, 2, 3));
            s.commit(new Long[]{0L}); // the SDK takes "committing" as an answer and returns

            TableTunnel.UploadSession seen = tunnel.getUploadSession(PROJECT, "t", new PartitionSpec("pt=a"), s.getId());
            assertEquals(TableTunnel.UploadStatus.COMMITTING, seen.getStatus());
            assertEquals(List.of(), mc.rows(PROJECT, "t", "pt=a"));
            assertEquals(0, mc.counters(PROJECT, "t", "pt=a").commits());
            TunnelException conflict = Sdk.tunnelCause(assertThrows(Exception.class, () -> s.writeBlock(1, pack(s, 2, 1, 3))));
            assertEquals("StatusConflict", conflict.getErrorCode());

            clock.advance(Duration.ofMinutes(3));
            assertEquals(TableTunnel.UploadStatus.CLOSED, seen.getStatus());
            assertEquals(2, mc.rows(PROJECT, "t", "pt=a").size());
            assertEquals(1, mc.counters(PROJECT, "t", "pt=a").commits());
        }
    }

    @Test
    void anUploadSessionAnswersCommittingToTheConfiguredNumberOfStatusRequests() throws Exception {
        EmulatorLimits limits = EmulatorLimits.REAL.withCommitting(Duration.ZERO, 2);
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().limits(limits))) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "b");
            s.writeBlock(0, pack(s, 0, 1, 3));
            s.commit(new Long[]{0L});
            assertEquals(TableTunnel.UploadStatus.COMMITTING, s.getStatus());
            assertEquals(List.of(), mc.rows(PROJECT, "t", "pt=b"), "reading the rows is not a status request");
            assertEquals(TableTunnel.UploadStatus.COMMITTING, s.getStatus());
            assertEquals(TableTunnel.UploadStatus.CLOSED, s.getStatus());
            assertEquals(1, mc.rows(PROJECT, "t", "pt=b").size());
        }
    }

    @Test
    void theSdkPollsAnUpsertCommitUntilItIsCommitted() throws Exception {
        EmulatorLimits limits = EmulatorLimits.REAL.withCommitting(Duration.ZERO, 1);
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().limits(limits))) {
            Sdk.addUpsertTable(mc);
            TableTunnel.UpsertSession s = Sdk.tunnel(mc).buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a")).build();
            try {
                upsert(s, Map.of("k1", 1L, "k2", 2L));
                s.commit(false); // answered "committing" once, then "committed" on the SDK's next request
                assertEquals("committed", s.getStatus());
            } finally {
                s.close();
            }
            assertEquals(2, mc.rows(PROJECT, "u", "pt=a").size());
            assertEquals(1, mc.counters(PROJECT, "u", "pt=a").commits());
        }
    }

    @Test
    void anUpsertCommitStillCommittingWhenTheSdksCommitTimeoutEndsFailsAndCompletesLater() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        EmulatorLimits limits = EmulatorLimits.REAL.withCommitting(Duration.ofMinutes(10), 0);
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock).limits(limits))) {
            Sdk.addUpsertTable(mc);
            TableTunnel.UpsertSession s = Sdk.tunnel(mc).buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a"))
                    .setCommitTimeout(1_000).build();
            try {
                upsert(s, Map.of("k1", 1L));
                TunnelException e = assertThrows(TunnelException.class, () -> s.commit(false));
                assertTrue(e.getMessage().contains("Commit session timeout"), e.getMessage());
                assertEquals("committing", s.getStatus());
                assertEquals(List.of(), mc.rows(PROJECT, "u", "pt=a"));
                clock.advance(Duration.ofMinutes(10));
                assertEquals("committed", s.getStatus());
            } finally {
                s.close();
            }
            assertEquals(List.of(Map.of("k", "k1", "v", 1L)), mc.rows(PROJECT, "u", "pt=a"));
        }
    }

    static void upsert(TableTunnel.UpsertSession s, Map<String, Long> values) throws Exception {
        UpsertStream stream = s.buildUpsertStream().setCompressOption(Sdk.RAW).build();
        Record r = s.newRecord();
        for (Map.Entry<String, Long> e : values.entrySet()) {
            r.setString("k", e.getKey());
            r.setBigint("v", e.getValue());
            stream.upsert(r);
        }
        stream.close();
    }
}
