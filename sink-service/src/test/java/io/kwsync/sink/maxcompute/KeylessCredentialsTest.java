package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import io.kwsync.emulator.maxcompute.AdjustableClock;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator.StsCredentials;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink with STS credentials from files against the emulator, which checks the security token the SDK sends: rows
 * go through, an expired token holds them (waiting, readiness says why) until the files are rotated, then the same
 * rows go through once, without a new sink.
 */
class KeylessCredentialsTest {

    static final String PROJECT = "kwsync_sts";
    @TempDir
    Path dir;
    private final AdjustableClock clock = AdjustableClock.startingNow();
    private MaxComputeEmulator mc;

    @BeforeEach
    void start() {
        mc = MaxComputeEmulator.builder().clock(clock).start().createProject(PROJECT);
    }

    @AfterEach
    void stop() {
        mc.close();
    }

    private Credentials files(StsCredentials c) throws IOException {
        Files.writeString(dir.resolve("id"), c.accessId() + "\n");
        Files.writeString(dir.resolve("secret"), c.accessSecret() + "\n");
        Files.writeString(dir.resolve("token"), c.securityToken() + "\n");
        return Credentials.sts(dir.resolve("id"), dir.resolve("secret"), dir.resolve("token"));
    }

    @Test
    void anExpiredTokenHoldsTheRowsUntilTheFilesAreRotated() throws Exception {
        String t = TestKafka.unique("sts").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " " + MaxComputeRowSinkTest.KV_COLUMNS + " PARTITIONED BY (pt STRING)");
        StsCredentials first = mc.issueStsCredentials(Duration.ofMinutes(60));
        Odps odps = MaxComputeClients.odps(files(first).account(clock), mc.endpoint(), PROJECT, Duration.ofSeconds(30));
        String pt = "11-17-2020 14";
        try (MaxComputeRowSink sink = Sinks.sink(odps, PROJECT, TestKafka.unique("progress"), WriteMode.APPEND, null,
                Sinks.AT_ONCE, clock, Duration.ofSeconds(30), TableCatalog.DEFAULT_MAX_TABLES)) {
            sink.write(List.of(MaxComputeRowSinkTest.row(t, pt, "src", 0, 0)), r -> { });
            sink.commitDue(false);
            assertEquals(1, mc.rowCount(PROJECT, t));
            assertTrue(sink.isReachable());
            assertNull(sink.problem());

            clock.advance(Duration.ofMinutes(61)); // the token expired, the sidecar has not rotated it yet
            List<RowEvent> next = List.of(MaxComputeRowSinkTest.row(t, pt, "src", 0, 1), MaxComputeRowSinkTest.row(t, pt, "src", 0, 2));
            SinkException e = assertThrows(SinkException.class, () -> {
                sink.write(next, r -> { });
                sink.commitDue(false);
            });
            assertTrue(e.waiting(), "held without a deadline: " + e.getMessage());
            assertTrue(e.getMessage().contains("security token has expired"), e.getMessage());
            assertTrue(e.getMessage().contains("KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE"), e.getMessage());
            assertFalse(sink.isReachable());
            assertTrue(sink.problem().contains("security token has expired"), sink.problem());
            assertEquals(1, mc.rowCount(PROJECT, t));

            StsCredentials second = mc.issueStsCredentials(Duration.ofMinutes(60));
            files(second);
            clock.advance(StsFileCredentials.RECHECK);
            sink.write(next, r -> { });
            sink.commitDue(false);
            assertTrue(sink.isReachable());
            assertNull(sink.problem());
            String message = e.getMessage() + sink.problem();
            assertFalse(message.contains(first.accessSecret()) || message.contains(first.securityToken()), "no secret in messages");
        }
        assertEquals(List.of(0L, 1L, 2L), mc.rows(PROJECT, t, "pt=" + pt).stream().map(r -> (Long) r.get("offset")).sorted().toList(),
                "each row once");
    }
}
