package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static io.kwsync.emulator.maxcompute.Sdk.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK's streaming tunnel (StreamUploadSession): rows visible when a flush is answered, one file per flush. */
class StreamTunnelTest {

    @Test
    void flushedPacksAreVisibleAtOnceAndCountedAsFilesWithoutCommits() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.StreamUploadSession s = Sdk.tunnel(mc).buildStreamUploadSession(PROJECT, "t")
                    .setPartitionSpec(new PartitionSpec("pt=new")).setCreatePartition(true).build();
            TableTunnel.StreamRecordPack pack = s.newRecordPack(Sdk.RAW);
            append(s, pack, 0, 3);
            pack.flush();
            assertEquals(3, mc.rows(PROJECT, "t", "pt=new").size(), "visible without a commit");
            append(s, pack, 3, 2);
            pack.flush();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), mc.rows(PROJECT, "t", "pt=new").stream().map(r -> r.get("offset")).toList());
            assertEquals(2, s.getLastBatchId());
            PartitionCounters c = mc.counters(PROJECT, "t", "pt=new");
            assertEquals(1, c.streamSessions());
            assertEquals(0, c.commits());
            assertEquals(2, c.committedFiles());
            assertEquals(5, c.committedRecords());

            TunnelException missing = assertThrows(TunnelException.class, () -> Sdk.tunnel(mc).buildStreamUploadSession(PROJECT, "t")
                    .setPartitionSpec(new PartitionSpec("pt=absent")).build());
            assertEquals("NoSuchPartition", missing.getErrorCode());
        }
    }

    @Test
    void aFlushWhoseConnectionClosesIsSentAgainByTheHttpClientAndItsRowsLandTwice() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.StreamUploadSession s = Sdk.tunnel(mc).buildStreamUploadSession(PROJECT, "t")
                    .setPartitionSpec(new PartitionSpec("pt=a")).build();
            TableTunnel.StreamRecordPack pack = s.newRecordPack(Sdk.RAW);
            append(s, pack, 0, 2);
            mc.failNext(TunnelCall.STREAM_FLUSH, ReplyFault.CLOSE, 1);
            pack.flush(); // HttpURLConnection repeats a PUT whose connection ended without an answer
            assertEquals(List.of(0L, 1L, 0L, 1L), mc.rows(PROJECT, "t", "pt=a").stream().map(r -> r.get("offset")).toList());
            assertEquals(2, mc.counters(PROJECT, "t", "pt=a").blocksUploaded());

            append(s, pack, 2, 1);
            mc.failNext(TunnelCall.STREAM_FLUSH, ReplyFault.CLOSE, 2);
            assertThrows(IOException.class, pack::flush);
            assertEquals(6, mc.rows(PROJECT, "t", "pt=a").size(), "both attempts landed although the SDK reports a failure");
        }
    }

    @Test
    void aStreamSessionExpiresLikeTheOthers() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock))) {
            TableTunnel.StreamUploadSession s = Sdk.tunnel(mc).buildStreamUploadSession(PROJECT, "t")
                    .setPartitionSpec(new PartitionSpec("pt=a")).build();
            TableTunnel.StreamRecordPack pack = s.newRecordPack(Sdk.RAW);
            append(s, pack, 0, 1);
            clock.advance(Duration.ofHours(24));
            IOException e = assertThrows(IOException.class, pack::flush);
            TunnelException te = Sdk.tunnelCause(e);
            assertEquals("StatusConflict", te.getErrorCode());
            assertTrue(te.getMessage().contains("expired"), te.getMessage());
        }
    }

    private static void append(TableTunnel.StreamUploadSession s, TableTunnel.StreamRecordPack pack, long first, int n) throws IOException {
        Record r = s.newRecord();
        for (long i = first; i < first + n; i++) {
            r.setString(0, "topic");
            r.setBigint(1, 0L);
            r.setBigint(2, i);
            r.setString(3, "k" + i);
            r.setString(4, "v" + i);
            pack.append(r);
        }
    }
}
