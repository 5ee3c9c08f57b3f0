package io.kwsync.runtime.kafka;

import io.kwsync.runtime.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Preparing topics on brokers that are slow to answer: asked again until the patience ends, then a clear error. */
class TopicsTest {

    @Test
    void aBrokerThatAcceptsConnectionsButNeverAnswersIsAskedAgainThenNamedInTheError() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // reads nothing, answers nothing
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String servers = "127.0.0.1:" + silent.getLocalPort();
            long started = System.nanoTime();
            var e = assertThrows(InvalidConfigurationException.class, () -> Topics.ensure(
                    Map.of("bootstrap.servers", servers), Map.of("t", 1), Map.of(), true,
                    new Topics.Patience(Duration.ofSeconds(3), Duration.ofSeconds(1))));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0, "asked again until the patience ended, not " + took);
            assertTrue(e.getMessage().contains("KWSYNC_KAFKA_BOOTSTRAP_SERVERS (kwsync.kafka.bootstrap-servers) '" + servers
                    + "': the brokers accept connections but did not prepare topic t (no answer within 3s)"), e.getMessage());
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
