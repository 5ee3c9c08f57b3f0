package io.kwsync.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A Kafka broker of one test's own (KRaft, from the jars dev/up.sh fetched), on free ports, so the test can stop and
 * restart it without disturbing the shared broker other tests use.
 */
public final class PrivateKafkaBroker implements AutoCloseable {

    private final Path home;
    private final int port = ServiceProcess.freePort();
    private final int controllerPort = ServiceProcess.freePort();
    private Process process;

    public PrivateKafkaBroker(String name) {
        home = ServiceProcess.REPO.resolve("system-tests/target/brokers/" + name);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private static Path libs() {
        String devHome = System.getenv().getOrDefault("KWSYNC_DEV_HOME", ServiceProcess.REPO.resolve(".local").toString());
        Path libs = Path.of(devHome, "kafka", "libs");
        if (!Files.isDirectory(libs)) throw new IllegalStateException(libs + " missing: run dev/up.sh first");
        return libs;
    }

    public PrivateKafkaBroker start() {
        try {
            Files.createDirectories(home);
            Path props = home.resolve("server.properties");
            Files.writeString(props, String.join("\n",
                    "process.roles=broker,controller", "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + home.resolve("data"), "num.partitions=3",
                    "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0", "auto.create.topics.enable=false", ""));
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
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(this::listening);
        return this;
    }

    private boolean listening() {
        if (!process.isAlive()) throw new IllegalStateException("private broker exited; see " + home.resolve("broker.log"));
        try (Socket s = new Socket("127.0.0.1", port)) {
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
