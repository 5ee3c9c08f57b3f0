package io.kwsync.sink.config;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.ServiceConfig;
import io.kwsync.runtime.config.ServiceConfigCheck;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.nio.file.Files;
import java.nio.file.Path;

/** Validates the configuration before anything connects; every problem names its environment variable. */
@ApplicationScoped
public class SinkConfigCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, SinkConfig config) {
        check(config);
    }

    public static void check(SinkConfig c) {
        var problems = new InvalidConfigurationException.Collector();
        ServiceConfigCheck.check(c, problems);
        problems.check(c.sink().batchMaxRows() >= 1, "kwsync.sink.batch-max-rows", "must be at least 1");
        problems.check(!c.sink().batchMaxAge().isNegative() && !c.sink().batchMaxAge().isZero(),
                "kwsync.sink.batch-max-age", "must be positive");
        problems.check(c.sink().batchMaxAge().compareTo(java.time.Duration.ofSeconds(50)) <= 0, "kwsync.sink.batch-max-age",
                "must be at most 50s (unacknowledged records older than 60s mark the consumer unhealthy)");
        problems.check(c.sink().shutdownTimeout().toMillis() > 0, "kwsync.sink.shutdown-timeout", "must be positive");
        problems.check(c.sink().retryTimeout().toMillis() > 0, "kwsync.sink.retry-timeout",
                "must be more than 0s: a batch needs time to be retried before the sink gives up, e.g. 10m");
        problems.check(c.sink().retryBackoffMax().toMillis() > 0, "kwsync.sink.retry-backoff-max", "must be positive");
        if (c.sink().type() == SinkConfig.SinkType.JDBC) {
            String url = c.jdbc().url().orElse("");
            if (url.isEmpty()) {
                problems.problem("kwsync.jdbc.url", "is required when KWSYNC_SINK_TYPE is jdbc, e.g. jdbc:mysql://host:3306/db");
            } else if (!url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:postgresql:")) {
                problems.problem("kwsync.jdbc.url", "must start with jdbc:mysql: or jdbc:postgresql:");
            }
            c.jdbc().passwordFile().ifPresent(f -> problems.check(Files.isReadable(Path.of(f)), "kwsync.jdbc.password-file",
                    "names a file that does not exist or cannot be read: " + f));
            problems.check(c.jdbc().poolSize() >= 1, "kwsync.jdbc.pool-size", "must be at least 1");
            problems.check(c.jdbc().progressTable().matches("[A-Za-z_][A-Za-z0-9_]{0,62}"), "kwsync.jdbc.progress-table",
                    "must be a plain identifier (letters, digits, underscore; at most 63)");
            problems.check(validZone(c.jdbc().timeZone()), "kwsync.jdbc.time-zone",
                    "'" + c.jdbc().timeZone() + "' is not a time zone (use e.g. UTC, +08:00 or Asia/Shanghai)");
            problems.check(!hasPassword(url), "kwsync.jdbc.url",
                    "must not carry a password: set KWSYNC_JDBC_PASSWORD or KWSYNC_JDBC_PASSWORD_FILE instead");
        }
        if (c.sink().type() == SinkConfig.SinkType.MAXCOMPUTE) {
            io.kwsync.sink.maxcompute.MaxComputeConfigCheck.check(c.maxcompute(), problems);
            io.kwsync.sink.maxcompute.MaxComputeConfigCheck.checkTopics(c, problems);
        }
        problems.throwIfAny();
    }

    private static boolean validZone(String zone) {
        try {
            java.time.ZoneId.of(zone);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    /** A password in the URL (user:secret@host, or a password property) would end up wherever the URL is shown. */
    static boolean hasPassword(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return lower.matches("(?s)jdbc:[a-z:]+://[^/?]*:[^/?]*@.*") || lower.matches("(?s).*[?&;]password=.*")
                || lower.matches("(?s).*\\(.*password=.*");
    }
}
