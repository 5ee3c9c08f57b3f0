package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import static io.kwsync.emulator.maxcompute.Sdk.PROJECT;
import static io.kwsync.emulator.maxcompute.Sdk.pack;
import static io.kwsync.emulator.maxcompute.Sdk.upload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests the server takes in and never answers, seen through the real SDK: what a client without its own deadline
 * experiences, and that the server applied what it received.
 */
class FaultsTest {

    @Test
    void aBlockUploadAnsweredByAClosedConnectionFailsInTheSdkButTheBlockIsStored() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            mc.failNext(TunnelCall.BLOCK_UPLOAD, ReplyFault.CLOSE, 1);
            assertThrows(IOException.class, () -> s.writeBlock(0, pack(s, 0, 3, 3)));
            assertEquals(List.of(0L), List.of(s.getBlockList()));
            s.writeBlock(1, pack(s, 3, 1, 3));
            s.commit(new Long[]{0L, 1L});
            assertEquals(4, mc.rows(PROJECT, "t", "pt=a").size());
        }
    }

    @Test
    void aHeldBlockUploadEndsOnlyByTheClientsDeadline() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            mc.failNext(TunnelCall.BLOCK_UPLOAD, ReplyFault.HANG, 1);
            IOException e = assertThrows(IOException.class, () -> s.writeBlock(0, pack(s, 0, 1, 3), 1_500));
            assertTrue(hasCause(e, SocketTimeoutException.class), "the SDK's own write timeout ended the wait: " + e);
            mc.releaseHeldReplies();
            assertEquals(List.of(0L), List.of(s.getBlockList()));
        }
    }

    @Test
    void anUploadCommitWhoseReplyIsLostTookEffect() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel tunnel = Sdk.tunnel(mc);
            TableTunnel.UploadSession s = upload(tunnel, "a");
            s.writeBlock(0, pack(s, 0, 2, 3));
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.CLOSE, 1);
            assertThrows(Exception.class, () -> s.commit(new Long[]{0L}));
            assertEquals(TableTunnel.UploadStatus.CLOSED,
                    tunnel.getUploadSession(PROJECT, "t", new PartitionSpec("pt=a"), s.getId()).getStatus());
            assertEquals(2, mc.rows(PROJECT, "t", "pt=a").size());
            assertEquals(1, mc.counters(PROJECT, "t", "pt=a").commits());
        }
    }

    @Test
    void aHeldUploadCommitTookEffectWhileTheClientTimesOut() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel tunnel = Sdk.tunnel(mc);
            tunnel.getConfig().setSocketTimeout(2);
            TableTunnel.UploadSession s = upload(tunnel, "a");
            s.writeBlock(0, pack(s, 0, 2, 3));
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            Exception e = assertThrows(Exception.class, () -> s.commit(new Long[]{0L}));
            assertTrue(hasCause(e, SocketTimeoutException.class), "the read timeout ended the wait: " + e);
            assertEquals(2, mc.rows(PROJECT, "t", "pt=a").size());
            mc.releaseHeldReplies();
        }
    }

    @Test
    void anUpsertFlushAnsweredByAClosedConnectionBlocksTheSdkWithoutADeadline() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            Sdk.addUpsertTable(mc);
            TableTunnel.UpsertSession s = Sdk.tunnel(mc).buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a")).build();
            try {
                UpsertStream stream = stream(s, "k1");
                mc.failNext(TunnelCall.UPSERT_FLUSH, ReplyFault.CLOSE, 1);
                AtomicReference<Thread> writer = new AtomicReference<>();
                CompletableFuture<Void> flush = CompletableFuture.runAsync(() -> {
                    writer.set(Thread.currentThread());
                    try {
                        stream.flush();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // the SDK waits on a latch that only an answer or a read timeout releases; the closed connection is neither
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !flush.isDone());
                assertEquals(1, mc.counters(PROJECT, "u", "pt=a").blocksUploaded(), "the server took the records in");
                writer.get().interrupt();
                ExecutionException e = assertThrows(ExecutionException.class, () -> flush.get());
                assertTrue(e.getCause().getMessage().contains("flush interrupted"), e.getCause().toString());
            } finally {
                s.close();
            }
        }
    }

    @Test
    void aHeldUpsertFlushEndsWithTheSdksReadTimeout() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            Sdk.addUpsertTable(mc);
            TableTunnel.UpsertSession s = Sdk.tunnel(mc).buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a"))
                    .setReadTimeout(1_000).build();
            try {
                UpsertStream stream = stream(s, "k1");
                mc.failNext(TunnelCall.UPSERT_FLUSH, ReplyFault.HANG, 1);
                TunnelException e = assertThrows(TunnelException.class, stream::flush);
                assertTrue(e.getMessage().contains("Flush time out"), e.getMessage());
                mc.releaseHeldReplies();
            } finally {
                s.close();
            }
        }
    }

    @Test
    void anUpsertCommitWhoseReplyIsLostTookEffect() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            Sdk.addUpsertTable(mc);
            TableTunnel.UpsertSession s = Sdk.tunnel(mc).buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a")).build();
            try {
                stream(s, "k1").close();
                mc.failNext(TunnelCall.UPSERT_COMMIT, ReplyFault.CLOSE, 1);
                Exception e = assertThrows(Exception.class, () -> s.commit(false));
                assertFalse(e.getMessage() == null || e.getMessage().isEmpty(), "the SDK reports the failure: " + e);
                assertEquals("committed", s.getStatus());
            } finally {
                s.close();
            }
            assertEquals(1, mc.rows(PROJECT, "u", "pt=a").size());
        }
    }

    @Test
    void blockUploadsCanFailWith500AfterTheBlockWasRead() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            mc.failBlockUploads(1);
            TunnelException e = Sdk.tunnelCause(assertThrows(IOException.class, () -> s.writeBlock(0, pack(s, 0, 1, 3))));
            assertEquals(500, e.getStatus());
            assertEquals(List.of(), List.of(s.getBlockList()));
            s.writeBlock(0, pack(s, 0, 1, 3));
            assertEquals(List.of(0L), List.of(s.getBlockList()));
        }
    }

    private static UpsertStream stream(TableTunnel.UpsertSession s, String key) throws Exception {
        UpsertStream stream = s.buildUpsertStream().setCompressOption(Sdk.RAW).build();
        Record r = s.newRecord();
        r.setString("k", key);
        r.setBigint("v", 1L);
        stream.upsert(r);
        return stream;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }
}
