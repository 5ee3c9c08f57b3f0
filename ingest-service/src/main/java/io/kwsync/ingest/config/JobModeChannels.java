package io.kwsync.ingest.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

import java.util.Locale;
import java.util.Set;

/**
 * In job mode the streaming channel (the source topics; SourceProcessor publishes their rows with a producer it only
 * creates for its first batch) must not start: a job reads its window with a consumer of its own. The channel's
 * {@code enabled} attribute is derived here from {@code kwsync.ingest.mode}, so operators set one variable,
 * KWSYNC_INGEST_MODE.
 */
public class JobModeChannels implements ConfigSourceInterceptor {

    static final Set<String> STREAMING_CHANNELS = Set.of("mp.messaging.incoming.source.enabled");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (STREAMING_CHANNELS.contains(name)) {
            ConfigValue mode = context.proceed("kwsync.ingest.mode");
            if (mode != null && mode.getValue() != null && mode.getValue().strip().toLowerCase(Locale.ROOT).equals("job")) {
                return ConfigValue.builder().withName(name).withValue("false").build();
            }
        }
        return context.proceed(name);
    }
}
