package io.kwsync.ingest.health;

import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streaming mode: not ready while the broker cannot describe the rows topic, where every row goes (the source
 * channel's own check stays up while its consumer keeps its assignment). The rows are published by a plain producer,
 * not a messaging channel, so this takes the place of the rows channel's topic verification.
 */
@ApplicationScoped
public class RowsTopicHealth {

    static final long TIMEOUT_MS = 2_000;

    private final boolean jobMode;
    private final String rowsTopic;
    private final KafkaClients clients;
    private AdminClient admin;

    public RowsTopicHealth(IngestSettings settings, KafkaClients clients) {
        this.jobMode = settings.jobMode();
        this.rowsTopic = settings.rows().topic();
        this.clients = clients;
    }

    @Readiness
    HealthCheck rowsTopic() {
        return () -> {
            var b = HealthCheckResponse.named("rows-topic").withData("topic", rowsTopic);
            if (jobMode) return b.up().withData("mode", "job").build();
            try {
                admin().describeTopics(List.of(rowsTopic), new DescribeTopicsOptions().timeoutMs((int) TIMEOUT_MS))
                        .allTopicNames().get(TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
                return b.up().build();
            } catch (ExecutionException e) {
                return b.down().withData("error", String.valueOf(e.getCause().getMessage())).build();
            } catch (TimeoutException e) {
                return b.down().withData("error", "the broker did not answer within " + TIMEOUT_MS + " ms").build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return b.down().withData("error", "interrupted").build();
            }
        };
    }

    private synchronized AdminClient admin() {
        if (admin == null) admin = clients.admin("kwsync-rows-health");
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) admin.close();
    }
}
