package io.kwsync.sink.config;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.ServiceConfigCheck;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import java.time.Duration;

/**
 * Validates the configuration before anything connects: the settings every destination shares, then the chosen
 * destination's own ({@link DestinationCheck}); every problem names its environment variable, all are reported at once.
 */
@ApplicationScoped
public class SinkConfigCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, SinkConfig config,
                 Destinations destinations, @Any Instance<DestinationCheck> checks) {
        var problems = new InvalidConfigurationException.Collector();
        check(config, problems);
        DestinationCheck destination = destinations.select(checks, problems);
        if (destination != null) destination.check(problems);
        problems.throwIfAny();
    }

    /** The settings of sink-service that do not depend on the destination. */
    public static void check(SinkConfig c, InvalidConfigurationException.Collector problems) {
        ServiceConfigCheck.check(c, problems);
        problems.check(c.sink().batchMaxRows() >= 1, "kwsync.sink.batch-max-rows", "must be at least 1");
        problems.check(!c.sink().batchMaxAge().isNegative() && !c.sink().batchMaxAge().isZero(),
                "kwsync.sink.batch-max-age", "must be positive");
        problems.check(c.sink().batchMaxAge().compareTo(Duration.ofSeconds(50)) <= 0, "kwsync.sink.batch-max-age",
                "must be at most 50s (unacknowledged records older than 60s mark the consumer unhealthy)");
        problems.check(c.sink().shutdownTimeout().toMillis() > 0, "kwsync.sink.shutdown-timeout", "must be positive");
        problems.check(c.sink().retryTimeout().toMillis() > 0, "kwsync.sink.retry-timeout",
                "must be more than 0s: a batch needs time to be retried before the sink gives up, e.g. 10m");
        problems.check(c.sink().retryBackoffMax().toMillis() > 0, "kwsync.sink.retry-backoff-max", "must be positive");
        problems.check(c.sink().metricsTables() >= 0 && c.sink().metricsTables() <= 1000, "kwsync.sink.metrics-tables",
                "must be between 0 (no per-table series) and 1000");
    }
}
