package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.emulator.maxcompute.Sdk.PROJECT;
import static io.kwsync.emulator.maxcompute.Sdk.pack;
import static io.kwsync.emulator.maxcompute.Sdk.tunnelCause;
import static io.kwsync.emulator.maxcompute.Sdk.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upload sessions within MaxCompute Tunnel's limits, driven by the real SDK: block ids, block size, lifetime, commit. */
class UploadLimitsTest {

    @Test
    void blockIdsGoFrom0To19999AndAHigherIdIsRefusedAsInvalidBlockId() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            s.writeBlock(19_999, pack(s, 0, 2, 3));
            IOException e = assertThrows(IOException.class, () -> s.writeBlock(20_000, pack(s, 2, 1, 3)));
            TunnelException te = tunnelCause(e);
            assertEquals(400, te.getStatus());
            assertEquals("InvalidBlockID", te.getErrorCode());
            s.commit(new Long[]{19_999L});
            assertEquals(2, mc.rows(PROJECT, "t", "pt=a").size());
        }
    }

    @Test
    void aLowerBlockLimitPerInstanceIsEnforcedTheSameWay() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().limits(EmulatorLimits.REAL.withMaxBlocksPerSession(2)))) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            s.writeBlock(0, pack(s, 0, 1, 3));
            s.writeBlock(1, pack(s, 1, 1, 3));
            assertEquals("InvalidBlockID", tunnelCause(assertThrows(IOException.class, () -> s.writeBlock(2, pack(s, 2, 1, 3))))
                    .getErrorCode());
            assertEquals(List.of(0L, 1L), List.of(s.getBlockList()));
        }
    }

    @Test
    void aBlockLargerThanTheLimitIsRefusedAndNotStored() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().limits(EmulatorLimits.REAL.withMaxBlockBytes(4096)))) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            s.writeBlock(0, pack(s, 0, 10, 100));
            TunnelException te = tunnelCause(assertThrows(IOException.class, () -> s.writeBlock(1, pack(s, 10, 10, 1000))));
            assertEquals(400, te.getStatus());
            assertEquals("MaxMessageLengthExceeded", te.getErrorCode());
            assertEquals(List.of(0L), List.of(s.getBlockList()));
        }
    }

    @Test
    void aSessionExpiresAfterItsLifetimeByTheEmulatorsClock() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock))) {
            TableTunnel tunnel = Sdk.tunnel(mc);
            TableTunnel.UploadSession s = upload(tunnel, "a");
            s.writeBlock(0, pack(s, 0, 1, 3));
            clock.advance(Duration.ofHours(24).minusSeconds(1));
            s.writeBlock(1, pack(s, 1, 1, 3));
            clock.advance(Duration.ofSeconds(1));

            TunnelException write = tunnelCause(assertThrows(IOException.class, () -> s.writeBlock(2, pack(s, 2, 1, 3))));
            assertEquals(409, write.getStatus());
            assertEquals("StatusConflict", write.getErrorCode());
            assertTrue(write.getMessage().contains("expired"), write.getMessage());
            TunnelException reload = assertThrows(TunnelException.class,
                    () -> tunnel.getUploadSession(PROJECT, "t", new PartitionSpec("pt=a"), s.getId()));
            assertEquals("StatusConflict", reload.getErrorCode());
            assertTrue(reload.getMessage().contains("expired"), reload.getMessage());
            assertEquals(List.of(), mc.rows(PROJECT, "t", "pt=a"), "nothing of an expired session is visible");

            mc.expireUploadSessions();
            TunnelException gone = assertThrows(TunnelException.class,
                    () -> tunnel.getUploadSession(PROJECT, "t", new PartitionSpec("pt=a"), s.getId()));
            assertEquals("NoSuchUpload", gone.getErrorCode()); // the SDK's reload keeps the code, not the HTTP status
        }
    }

    @Test
    void theSdkCommitsTheBlockListTheSessionReportsAndEveryBlockBecomesAFile() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            s.writeBlock(0, pack(s, 0, 2, 3));
            s.writeBlock(7, pack(s, 2, 3, 3));
            s.writeBlock(0, pack(s, 10, 1, 3)); // a block id sent again replaces the block

            TunnelException wrongList = assertThrows(TunnelException.class, () -> s.commit(new Long[]{0L}));
            assertTrue(wrongList.getMessage().contains("Blocks not match"), wrongList.getMessage());
            TunnelException unknown = assertThrows(TunnelException.class, () -> s.commit(new Long[]{0L, 8L}));
            assertTrue(unknown.getMessage().contains("Block not exsits on server"), unknown.getMessage());
            assertEquals(List.of(), mc.rows(PROJECT, "t", "pt=a"), "a refused commit changes nothing");

            s.commit(new Long[]{7L, 0L});
            assertEquals(TableTunnel.UploadStatus.CLOSED, s.getStatus());
            List<Map<String, Object>> rows = mc.rows(PROJECT, "t", "pt=a");
            assertEquals(List.of(10L, 2L, 3L, 4L), rows.stream().map(r -> r.get("offset")).toList());
            PartitionCounters c = mc.counters(PROJECT, "t", "pt=a");
            assertEquals(1, c.commits());
            assertEquals(2, c.committedFiles());
            assertEquals(3, c.blocksUploaded());
            assertEquals(4, c.committedRecords());

            TunnelException late = tunnelCause(assertThrows(IOException.class, () -> s.writeBlock(1, pack(s, 20, 1, 3))));
            assertEquals(409, late.getStatus());
            assertEquals("StatusConflict", late.getErrorCode());
        }
    }

    @Test
    void tunnelRequestsWithoutTheTunnelVersionHeaderAreRefused() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            Odps raw = new Odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY));
            raw.setEndpoint(mc.tunnelEndpoint());
            raw.getRestClient().setRetryTimes(0);
            Map<String, String> params = new HashMap<>();
            params.put("uploads", null);
            params.put("partition", "pt=a");
            OdpsException e = assertThrows(OdpsException.class, () -> raw.getRestClient()
                    .request("/projects/" + PROJECT + "/tables/t", "POST", params, new HashMap<>(), (byte[]) null));
            assertEquals(400, e.getStatus());
            assertTrue(e.getMessage().contains("x-odps-tunnel-version"), e.getMessage());
            assertEquals(0, mc.counters(PROJECT, "t", "pt=a").uploadSessions());
        }
    }
}
