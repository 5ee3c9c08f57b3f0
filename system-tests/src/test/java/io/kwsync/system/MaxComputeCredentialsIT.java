package io.kwsync.system;

import io.kwsync.emulator.maxcompute.AdjustableClock;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator.StsCredentials;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keyless MaxCompute credentials through both services: STS credentials in files that are rotated while the sink runs
 * (the emulator checks the security token the SDK sends and refuses it once expired by its clock), the Alibaba Cloud
 * default chain from the environment, and start-up mistakes named. No secret shows anywhere.
 */
class MaxComputeCredentialsIT {

    static final String PROJECT = "kwsync_keyless";
    static final AdjustableClock CLOCK = AdjustableClock.startingNow();
    static MaxComputeEmulator mc;

    @BeforeAll
    static void start() {
        mc = MaxComputeEmulator.builder().clock(CLOCK).start().createProject(PROJECT);
    }

    @AfterAll
    static void stop() {
        mc.close();
    }

    /** Writes the three files as a rotating sidecar does: each replaced whole, by a rename. */
    static void writeFiles(Path dir, StsCredentials c) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : Map.of("access-id", c.accessId(), "access-key", c.accessSecret(),
                    "security-token", c.securityToken()).entrySet()) {
                Path tmp = dir.resolve("." + f.getKey() + ".tmp");
                Files.writeString(tmp, f.getValue() + "\n");
                Files.move(tmp, dir.resolve(f.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> keyless(String connector, String table, String credentials) {
        Map<String, String> env = MaxComputeEndToEndIT.env(mc, PROJECT, connector, connector + "-src", table);
        env.remove("KWSYNC_MAXCOMPUTE_ACCESS_ID");
        env.remove("KWSYNC_MAXCOMPUTE_ACCESS_KEY");
        env.put("KWSYNC_MAXCOMPUTE_CREDENTIALS", credentials);
        env.put("KWSYNC_LOG_LEVEL", "DEBUG");
        // the chain must never reach for the instance metadata service in a test
        env.put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        return env;
    }

    static String table(String connector) {
        String t = connector.replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " (topic STRING, `partition` BIGINT, `offset` BIGINT, key STRING, value STRING)"
                + " PARTITIONED BY (pt STRING)");
        return t;
    }

    static void assertNoSecret(ServiceProcess sink, StsCredentials... all) {
        String shown = CredentialsIT.everythingShown(sink);
        assertTrue(sink.output().contains("DEBUG"), "the log was at DEBUG");
        for (StsCredentials c : all) {
            assertFalse(shown.contains(c.accessSecret()), "the STS secret never appears");
            assertFalse(shown.contains(c.securityToken()), "the security token never appears");
        }
    }

    @Test
    void stsFilesRotatedWhileTheSinkRunsTakeOverWithoutARestart() {
        String connector = TestKafka.unique("mc-sts");
        String table = table(connector);
        Path dir = SecuredPipeline.SECRETS.resolve(connector);
        StsCredentials first = mc.issueStsCredentials(Duration.ofHours(1));
        writeFiles(dir, first);
        Map<String, String> env = keyless(connector, table, "sts");
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE", dir.resolve("access-id").toString());
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE", dir.resolve("access-key").toString());
        env.put("KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE", dir.resolve("security-token").toString());
        MaxComputeEndToEndIT.produce(connector + "-src", 1, 100, "2020-11-17T06:30:00Z", 1000, i -> "v" + i);
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> mc.rowCount(PROJECT, table) == 100);

            CLOCK.advance(Duration.ofMinutes(61)); // expired, and the sidecar is late
            List<ProducerRecord<byte[], byte[]>> more = new ArrayList<>();
            for (int i = 100; i < 200; i++) {
                more.add(new ProducerRecord<>(connector + "-src", 0, 1605594600000L + i * 1000L, MaxComputeEndToEndIT.utf8("k" + i),
                        MaxComputeEndToEndIT.utf8("v" + i)));
            }
            TestKafka.sendAll(more);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> sink.status("/q/health/ready") == 503);
            String ready = sink.get("/q/health/ready");
            assertTrue(ready.contains("security token has expired"), ready);
            assertTrue(ready.contains("KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE"), ready);
            assertEquals(200, sink.status("/q/health/live"), "the sink waits, it does not give up");
            assertEquals(100, mc.rowCount(PROJECT, table));

            StsCredentials second = mc.issueStsCredentials(Duration.ofHours(1));
            writeFiles(dir, second);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> mc.rowCount(PROJECT, table) >= 200);
            sink.awaitReady(Duration.ofSeconds(30));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).until(() -> mc.rowCount(PROJECT, table) == 200);
            assertTrue(sink.output().contains("new STS credentials read from"), "the rotation is logged");
            assertNoSecret(sink, first, second);
        }
    }

    @Test
    void theDefaultChainTakesStsCredentialsFromTheEnvironment() {
        String connector = TestKafka.unique("mc-chain");
        String table = table(connector);
        StsCredentials c = mc.issueStsCredentials(Duration.ofHours(1));
        Map<String, String> env = keyless(connector, table, "default-chain");
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", c.accessId());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", c.accessSecret());
        env.put("ALIBABA_CLOUD_SECURITY_TOKEN", c.securityToken());
        MaxComputeEndToEndIT.produce(connector + "-src", 1, 50, "2020-11-17T06:30:00Z", 1000, i -> "v" + i);
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> mc.rowCount(PROJECT, table) == 50);
            assertNoSecret(sink, c);
        }
    }

    @Test
    void keylessMistakesStopTheStartNamingTheVariable() {
        Map<String, String> nothing = keyless(TestKafka.unique("mc-chain-none"), "existing", "default-chain");
        String out = MaxComputeConfigurationIT.failToStart("sink-service", nothing, "keyless-none");
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_CREDENTIALS is default-chain and the chain found no credentials"), out);

        Map<String, String> sts = keyless(TestKafka.unique("mc-sts-bad"), "existing", "sts");
        sts.put("KWSYNC_MAXCOMPUTE_ACCESS_KEY", "a-plain-secret-4711");
        sts.put("KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE", "/nonexistent/id");
        out = MaxComputeConfigurationIT.failToStart("sink-service", sts, "keyless-sts");
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_ACCESS_KEY (kwsync.maxcompute.access-key) cannot be used when KWSYNC_MAXCOMPUTE_CREDENTIALS is sts"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE (kwsync.maxcompute.access-id-file) names a file that does not exist"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE (kwsync.maxcompute.access-key-file) is required when KWSYNC_MAXCOMPUTE_CREDENTIALS is sts"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE (kwsync.maxcompute.security-token-file) is required"), out);
        assertFalse(out.contains("a-plain-secret-4711"), "not even a misplaced secret is printed");
    }
}
