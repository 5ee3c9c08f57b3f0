package io.kwsync.runtime.kafka;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapServersTest {

    @Test
    void syntax() {
        assertNull(BootstrapServers.problem("kafka-0.kafka:9092, 10.0.0.5:9093,[::1]:9094"));
        assertEquals(List.of(new BootstrapServers.Address("::1", 9094)), BootstrapServers.parse("[::1]:9094"));
        assertTrue(BootstrapServers.problem("kafka").startsWith("'kafka' is not host:port"), BootstrapServers.problem("kafka"));
        assertTrue(BootstrapServers.problem("PLAINTEXT://kafka:9092").contains("is not host:port"));
        assertTrue(BootstrapServers.problem("kafka:99999").contains("is not host:port"));
        assertTrue(BootstrapServers.problem(" ").startsWith("is empty"));
    }

    @Test
    void anUnreachableListSaysWhyForEachAddress() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String why = BootstrapServers.unreachable("127.0.0.1:" + closed + ",no-such-host.invalid:9092", Duration.ZERO);
        assertTrue(why.startsWith("no Kafka broker could be reached in 0s: 127.0.0.1:" + closed + " refused the connection;"
                + " no-such-host.invalid:9092 is an unknown host."), why);
        try (ServerSocket open = new ServerSocket(0)) {
            assertNull(BootstrapServers.unreachable(List.of("127.0.0.1:" + closed, "127.0.0.1:" + open.getLocalPort()), Duration.ZERO),
                    "one broker that answers is enough");
        }
    }
}
