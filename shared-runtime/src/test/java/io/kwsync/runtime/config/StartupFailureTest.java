package io.kwsync.runtime.config;

import io.smallrye.config.ConfigValidationException;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every way a start can fail on configuration ends in the same list naming the variable, without Java class names. */
class StartupFailureTest {

    /**
     * application.properties as the services write it: a Quarkus property set from a variable, and a connector property
     * defined through a kwsync one (illustrative: the services no longer define a number that way, but may again).
     */
    static final Function<String, String> RAW = Map.of("quarkus.http.port", "${KWSYNC_HTTP_PORT:8080}",
            "quarkus.http.host", "${kwsync.http.host:0.0.0.0}",
            "mp.messaging.incoming.source.partitions", "${kwsync.source.concurrency:1}")::get;

    static String describe(Throwable t) {
        String text = StartupFailure.describe(new RuntimeException("Failed to start quarkus", t), RAW);
        assertFalse(text.matches("(?s).*\\b(java|io\\.kwsync|io\\.smallrye)\\.[a-z.]*[A-Z].*"), "a Java class name: " + text);
        return text;
    }

    static ConfigValidationException validation(String... messages) {
        ConfigValidationException.Problem[] problems = new ConfigValidationException.Problem[messages.length];
        for (int i = 0; i < messages.length; i++) problems[i] = new ConfigValidationException.Problem(messages[i]);
        return new ConfigValidationException(problems);
    }

    @Test
    void valuesTheConfigurationSystemCannotConvertNameTheVariableWhatWasGivenAndWhatIsAllowed() {
        assertEquals("Invalid configuration:\n"
                        + "  - KWSYNC_SINK_TYPE (kwsync.sink.type) 'postgres' is not allowed: use one of jdbc, maxcompute\n"
                        + "  - KWSYNC_SINK_BATCH_MAX_AGE (kwsync.sink.batch-max-age) '5minutes' is not a duration: write a number"
                        + " and a unit, e.g. 500ms, 30s, 5m or 2h\n"
                        + "  - KWSYNC_HTTP_PORT (quarkus.http.port) 'abc' is not a whole number\n"
                        + "  - KWSYNC_CONNECTOR_NAME (kwsync.connector.name) is required",
                describe(validation(
                        "java.lang.IllegalArgumentException: SRCFG00039: The config property kwsync.sink.type with the config value"
                                + " \"postgres\" threw an Exception whilst being converted SRCFG00049: Cannot convert postgres to enum"
                                + " class io.kwsync.sink.config.SinkConfig$SinkType, allowed values: maxcompute,jdbc",
                        "java.lang.IllegalArgumentException: SRCFG00039: The config property kwsync.sink.batch-max-age with the"
                                + " config value \"5minutes\" threw an Exception whilst being converted Invalid duration: 5minutes",
                        "SRCFG00039: The config property quarkus.http.port with the config value \"abc\" threw an Exception whilst"
                                + " being converted SRCFG00029: Expected an integer value, got \"abc\"",
                        "SRCFG00014: The config property kwsync.connector.name is required but it could not be found")));
    }

    @Test
    void aVariableReadThroughAKwsyncPropertyIsNamedByItsOwnName() {
        assertEquals("KWSYNC_SOURCE_CONCURRENCY (kwsync.source.concurrency) 'x' is not a whole number",
                StartupFailure.configProblem("SRCFG00039: The config property mp.messaging.incoming.source.partitions with the"
                        + " config value \"x\" threw an Exception whilst being converted For input string: \"x\"", RAW));
    }

    @Test
    void aVariableReadThroughTwoPropertiesIsToldOnce() {
        assertEquals("Invalid configuration:\n  - KWSYNC_HTTP_PORT (quarkus.http.port) 'abc' is not a whole number", describe(validation(
                "SRCFG00039: The config property quarkus.http.port with the config value \"abc\" threw an Exception whilst"
                        + " being converted SRCFG00029: Expected an integer value, got \"abc\"",
                "SRCFG00039: The config property kwsync.http.port with the config value \"abc\" threw an Exception whilst"
                        + " being converted SRCFG00029: Expected an integer value, got \"abc\"")));
    }

    @Test
    void anAddressNotOfThisMachineIsAConfigurationProblemToldOnce() {
        String text = describe(new IllegalStateException("io.quarkus.runtime.QuarkusBindException: Unable to bind to host:"
                + " 10.9.9.9 and port: 8080: Cannot assign requested address", new BindException("Cannot assign requested address")));
        assertEquals("Invalid configuration:\n  - KWSYNC_HTTP_PORT (quarkus.http.port) / KWSYNC_HTTP_HOST (kwsync.http.host): the"
                + " HTTP server cannot listen (unable to bind to host: 10.9.9.9 and port: 8080: cannot assign requested address);"
                + " it is not an address of this machine: use 0.0.0.0"
                + " (all interfaces) or one of its own addresses", text);
    }

    @Test
    void aPortInUseIsAConfigurationProblem() {
        String text = describe(new BindException("Address already in use"));
        assertEquals("Invalid configuration:\n  - KWSYNC_HTTP_PORT (quarkus.http.port) / KWSYNC_HTTP_HOST (kwsync.http.host): the"
                + " HTTP server cannot listen (address already in use); another process listens there: choose a free port or"
                + " stop that process", text);
    }

    @Test
    void ourOwnListIsPassedOnAsItIs() {
        InvalidConfigurationException ours = new InvalidConfigurationException(java.util.List.of("KWSYNC_X (kwsync.x) is wrong"));
        assertEquals("Invalid configuration:\n  - KWSYNC_X (kwsync.x) is wrong", describe(new IllegalStateException(ours)));
    }

    @Test
    void otherFailuresGiveTheirDeepestMessageWithoutClassNames() {
        assertEquals("disk full", describe(new IllegalStateException("wrapped", new java.io.IOException("disk full"))));
        assertEquals("the thing failed", StartupFailure.plain("java.lang.IllegalStateException: the thing failed"));
    }
}
