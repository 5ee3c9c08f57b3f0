package io.kwsync.ingest.config;

import io.smallrye.config.Expressions;
import org.eclipse.microprofile.config.Config;

import java.util.Optional;
import java.util.function.Function;

/**
 * Job settings that refer to scheduling parameters ({@code ds=${partition}}, {@code ${startTime}}, and
 * {@code ${yyyymmdd}} in parameter expressions) use the same {@code ${...}} form as configuration expressions. They are
 * read here without expression expansion, exactly as the operator wrote them.
 */
public final class RawSettings {

    private RawSettings() {
    }

    public static Function<String, Optional<String>> of(Config config) {
        return property -> Expressions.withoutExpansion(() -> config.getOptionalValue(property, String.class))
                .filter(s -> !s.isBlank());
    }
}
