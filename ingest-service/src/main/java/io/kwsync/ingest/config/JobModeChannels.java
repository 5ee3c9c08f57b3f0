package io.kwsync.ingest.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

import java.util.Locale;
import java.util.Set;

/**
 * In job and writer mode the streaming channel (the source topics; SourceProcessor publishes their rows with a
 * producer it only creates for its first batch) must not start: a job reads its window with a consumer of its own, the
 * Kafka Writer reads a table. The channel's {@code enabled} attribute is derived here from {@code kwsync.ingest.mode},
 * so operators set one variable, KWSYNC_INGEST_MODE.
 */
public class JobModeChannels implements ConfigSourceInterceptor {

    static final Set<String> STREAMING_CHANNELS = Set.of("mp.messaging.incoming.source.enabled");
    /** The modes that run a job (a window job, the Kafka Writer) instead of the stream. */
    static final Set<String> JOB_MODES = Set.of("job", "writer");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (STREAMING_CHANNELS.contains(name)) {
            ConfigValue mode = context.proceed("kwsync.ingest.mode");
            if (mode != null && mode.getValue() != null && JOB_MODES.contains(mode.getValue().strip().toLowerCase(Locale.ROOT))) {
                return ConfigValue.builder().withName(name).withValue("false").build();
            }
        }
        return context.proceed(name);
    }
}
