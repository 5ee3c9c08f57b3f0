package io.kwsync.system;

import io.kwsync.testing.TestCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A Kafka broker of one test's own (KRaft, from the jars dev/up.sh fetched), on free ports, so the test can stop and
 * restart it without disturbing the shared broker other tests use.
 */
public final class PrivateKafkaBroker implements AutoCloseable {

    private final Path home;
    private final int port = ServiceProcess.freePort();
    private final int controllerPort = ServiceProcess.freePort();
    private final int sslPort = ServiceProcess.freePort();
    private List<String> sslSettings = List.of();
    private Process process;

    public PrivateKafkaBroker(String name) {
        home = ServiceProcess.REPO.resolve("system-tests/target/brokers/" + name);
    }

    /** The PLAINTEXT listener (also used between the broker's own parts and by tests to set up topics). */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /**
     * Adds an SSL listener with the broker's certificate from {@code identity}; clients must present a certificate
     * the {@code clientTruststore} trusts (mutual TLS). Call before {@link #start()}.
     */
    public PrivateKafkaBroker withSsl(TestCertificates.Identity identity, Path clientTruststore, String truststorePassword) {
        String p = "listener.name.ssl.";
        sslSettings = List.of(
                p + "ssl.keystore.location=" + identity.keystore(), p + "ssl.keystore.type=PKCS12",
                p + "ssl.keystore.password=" + identity.password(), p + "ssl.key.password=" + identity.password(),
                p + "ssl.truststore.location=" + clientTruststore, p + "ssl.truststore.type=PKCS12",
                p + "ssl.truststore.password=" + truststorePassword, p + "ssl.client.auth=required");
        return this;
    }

    /** The SSL listener; only with {@link #withSsl}. */
    public String sslBootstrap() {
        if (sslSettings.isEmpty()) throw new IllegalStateException("no SSL listener: call withSsl before start");
        return "127.0.0.1:" + sslPort;
    }

    /** Where dev/env.sh keeps the local services' files: KWSYNC_DEV_HOME, else .local of the checkout, else the user's. */
    static Path devHome() {
        String set = System.getenv("KWSYNC_DEV_HOME");
        if (set != null && !set.isBlank()) return Path.of(set);
        Path inTree = ServiceProcess.REPO.resolve(".local");
        if (Files.isDirectory(inTree.resolve("kafka"))) return inTree;
        String data = System.getenv("XDG_DATA_HOME");
        return (data != null && !data.isBlank() ? Path.of(data) : Path.of(System.getProperty("user.home"), ".local", "share"))
                .resolve("kwsync");
    }

    private static Path libs() {
        Path libs = devHome().resolve("kafka").resolve("libs");
        if (!Files.isDirectory(libs)) throw new IllegalStateException(libs + " missing: run dev/up.sh first");
        return libs;
    }

    public PrivateKafkaBroker start() {
        try {
            Files.createDirectories(home);
            Path props = home.resolve("server.properties");
            boolean ssl = !sslSettings.isEmpty();
            List<String> lines = new ArrayList<>(List.of(
                    "process.roles=broker,controller", "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                            + (ssl ? ",SSL://127.0.0.1:" + sslPort : ""),
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + (ssl ? ",SSL://127.0.0.1:" + sslPort : ""),
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                    "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + home.resolve("data"), "num.partitions=3",
                    "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0", "auto.create.topics.enable=false"));
            lines.addAll(sslSettings);
            lines.add("");
            Files.writeString(props, String.join("\n", lines));
            String cp = libs() + "/*";
            if (!Files.exists(home.resolve("data/meta.properties"))) {
                Process format = new ProcessBuilder(java(), "-cp", cp, "kafka.tools.StorageTool", "format", "-t",
                        "kwsync-test-cluster-0001", "-c", props.toString())
                        .redirectErrorStream(true).redirectOutput(home.resolve("format.log").toFile()).start();
                if (format.waitFor() != 0) throw new IllegalStateException("format failed: " + Files.readString(home.resolve("format.log")));
            }
            process = new ProcessBuilder(java(), "-Xmx384m", "-cp", cp, "kafka.Kafka", props.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("broker.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> listening(port) && (sslSettings.isEmpty() || listening(sslPort)));
        return this;
    }

    private boolean listening(int listenerPort) {
        if (!process.isAlive()) throw new IllegalStateException("private broker exited; see " + home.resolve("broker.log"));
        try (Socket s = new Socket("127.0.0.1", listenerPort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** kill -9 of the broker process. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        kill();
    }

}
