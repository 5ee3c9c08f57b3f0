package io.kwsync.ingest.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Points the streaming channel at a topic pattern when KWSYNC_SOURCE_TOPIC_PATTERN is set: the channel's
 * {@code topic} becomes the guarded expression ({@link SourcePattern#subscription}) and {@code pattern} becomes true,
 * so operators set one variable. Without it the channel reads the topic list (KWSYNC_SOURCE_TOPICS) as before. Setting
 * both is refused at start by {@link IngestSettings}.
 */
public class SourcePatternChannel implements ConfigSourceInterceptor {

    static final String TOPIC = "mp.messaging.incoming.source.topic";
    static final String PATTERN = "mp.messaging.incoming.source.pattern";
    static final String TOPICS = "mp.messaging.incoming.source.topics";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (name.equals(TOPIC) || name.equals(PATTERN) || name.equals(TOPICS)) {
            ConfigValue p = context.proceed("kwsync.source.topic-pattern");
            if (p != null && p.getValue() != null && !p.getValue().isBlank()) {
                if (name.equals(TOPICS)) return null; // the channel refuses a topic list next to a pattern
                String value = name.equals(PATTERN) ? "true" : SourcePattern.subscription(p.getValue().strip());
                return ConfigValue.builder().withName(name).withValue(value).build();
            }
        }
        return context.proceed(name);
    }
}
