package io.kwsync.runtime.config;

import io.kwsync.model.ConnectorName;
import io.kwsync.runtime.api.ApiGuard;
import io.kwsync.runtime.kafka.GroupSession;
import io.kwsync.runtime.kafka.KafkaSecurityCheck;

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
        KafkaSecurityCheck.check(c.kafka(), problems);
        String session = GroupSession.problem(c.kafka().sessionTimeout());
        if (session != null) problems.problem("kwsync.kafka.session-timeout", session);
        ApiGuard.check(c.api(), problems);
    }
}
