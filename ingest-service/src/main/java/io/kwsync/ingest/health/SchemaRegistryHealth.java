package io.kwsync.ingest.health;

import io.kwsync.ingest.pipeline.RegistryWait;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while records wait for the schema registry (KWSYNC_SCHEMA_REGISTRY_URL), with its URLs and the reason;
 * ready again with the first record decoded after it answers. Liveness stays UP: a restart would not bring it back.
 */
@ApplicationScoped
public class SchemaRegistryHealth {

    private final RegistryWait registry;

    public SchemaRegistryHealth(RegistryWait registry) {
        this.registry = registry;
    }

    @Readiness
    HealthCheck schemaRegistry() {
        return () -> {
            String down = registry.down();
            var b = HealthCheckResponse.named("schema-registry").status(down == null);
            if (!registry.urls().isEmpty()) b.withData("registry", String.join(",", registry.urls()));
            if (down != null) b.withData("reason", down + "; records wait, nothing is dead-lettered for it");
            return b.build();
        };
    }
}
