package io.kwsync.runtime.kafka;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * KWSYNC_KAFKA_BOOTSTRAP_SERVERS: its syntax ({@code host:port[,host:port]}), and whether any of the brokers can be
 * reached at all. Asked before the first Kafka client is made, so an address that leads nowhere ends the start with
 * one message naming the variable and each address's reason, instead of 30 seconds of client connection warnings and
 * a timeout that names nothing.
 */
public final class BootstrapServers {

    private static final Logger LOG = Logger.getLogger(BootstrapServers.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 2000;

    private BootstrapServers() {
    }

    /** One broker address. */
    record Address(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Why the text is not a list of host:port, or null when it is. */
    public static String problem(String servers) {
        try {
            parse(servers);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static List<Address> parse(String servers) {
        List<Address> out = new ArrayList<>();
        if (servers == null || servers.isBlank()) throw new IllegalArgumentException("is empty: give host:port[,host:port]");
        for (String entry : servers.split(",")) {
            String e = entry.strip();
            int colon = e.lastIndexOf(':');
            String host = colon < 0 ? "" : e.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port = -1;
            try {
                if (colon >= 0) port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException x) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65535 || host.contains("/") || host.contains(" ")) {
                throw new IllegalArgumentException("'" + e + "' is not host:port (e.g. kafka-0.kafka:9092 or 10.0.0.5:9092;"
                        + " no scheme, several separated by commas)");
            }
            out.add(new Address(host, port));
        }
        return out;
    }

    /**
     * Waits up to {@code patience} until one of the brokers accepts a TCP connection (a broker may still be starting).
     *
     * @param servers the client setting, a comma-separated text or a list
     * @return null once one answers; else why none did, address by address
     */
    public static String unreachable(Object servers, Duration patience) {
        String text = servers instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                : String.valueOf(servers);
        List<Address> addresses;
        try {
            addresses = parse(text);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        long deadline = System.nanoTime() + patience.toNanos();
        boolean logged = false;
        while (true) {
            Map<Address, String> reasons = new LinkedHashMap<>();
            for (Address a : addresses) {
                String reason = probe(a);
                if (reason == null) return null;
                reasons.put(a, reason);
            }
            String all = String.join("; ", reasons.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
            if (System.nanoTime() > deadline) {
                return "no Kafka broker could be reached in " + patience.toSeconds() + "s: " + all + ". Check the host names and"
                        + " ports, that the brokers run, and that this service may reach them (network policies, firewalls)";
            }
            if (!logged) {
                LOG.info("Kafka is not reachable yet (" + all + "); trying for up to " + patience.toSeconds() + "s");
                logged = true;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for Kafka";
            }
        }
    }

    /** Null when the address takes a connection, else why not. */
    static String probe(Address a) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a.host(), a.port()), CONNECT_TIMEOUT_MS);
            return null;
        } catch (UnknownHostException e) {
            return "is an unknown host";
        } catch (SocketTimeoutException e) {
            return "did not answer within " + CONNECT_TIMEOUT_MS / 1000 + "s";
        } catch (ConnectException e) {
            return "refused the connection";
        } catch (IOException | IllegalArgumentException e) {
            return "cannot be connected to (" + e.getMessage() + ")";
        }
    }
}
