package io.kwsync.ingest.job;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** In job mode, validates the job before anything connects; each problem names its variable. */
@ApplicationScoped
public class JobConfigCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event, IngestMode mode,
                 JobConfig job, IngestConfig ingest) {
        if (mode.mode() != IngestMode.Mode.JOB) return;
        var problems = new InvalidConfigurationException.Collector();
        JobDefinition.from(job, ingest, RawSettings.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()), problems);
        problems.throwIfAny();
    }
}
