package io.kwsync.runtime.config;

import io.kwsync.model.ConnectorName;
import io.kwsync.runtime.api.ApiGuard;
import io.kwsync.runtime.kafka.BootstrapServers;
import io.kwsync.runtime.kafka.GroupSession;
import io.kwsync.runtime.kafka.KafkaSecurityCheck;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Checks the groups of {@link ServiceConfig}; each service's own check calls it and adds its own problems. */
public final class ServiceConfigCheck {

    private ServiceConfigCheck() {
    }

    public static void check(ServiceConfig c, InvalidConfigurationException.Collector problems) {
        String name = c.connector().name().orElse("");
        if (name.isEmpty()) {
            problems.problem("kwsync.connector.name", "is required: the connector name, e.g. kafka-adb-sink");
        } else if (ConnectorName.problem(name) != null) {
            problems.problem("kwsync.connector.name", "'" + name + "' " + ConnectorName.problem(name)
                    + " (1-48 characters of 0-9, a-z and '-', not starting with '-')");
        }
        String servers = BootstrapServers.problem(c.kafka().bootstrapServers());
        if (servers != null) problems.problem("kwsync.kafka.bootstrap-servers", servers);
        KafkaSecurityCheck.check(c.kafka(), problems);
        String session = GroupSession.problem(c.kafka().sessionTimeout());
        if (session != null) problems.problem("kwsync.kafka.session-timeout", session);
        ApiGuard.check(c.api(), problems);
        problems.check(c.http().port() >= 1 && c.http().port() <= 65535, "kwsync.http.port",
                "'" + c.http().port() + "' is not a port: use 1 to 65535");
        String host = c.http().host().strip();
        if (host.isEmpty()) {
            problems.problem("kwsync.http.host", "is empty: use 0.0.0.0 (all interfaces) or an address of this machine");
        } else {
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                problems.problem("kwsync.http.host", "'" + host + "' is not an address: use 0.0.0.0 (all interfaces),"
                        + " 127.0.0.1 or another address of this machine");
            }
        }
    }
}
