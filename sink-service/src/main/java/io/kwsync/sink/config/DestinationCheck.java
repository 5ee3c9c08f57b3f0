package io.kwsync.sink.config;

import io.kwsync.runtime.config.InvalidConfigurationException;

/**
 * A destination's part of the start-up check: reads the destination's settings once, validating them, and adds every
 * problem (naming its variable) to {@code problems}; {@link SinkConfigCheck} reports them with the service's own in
 * one message. Runs before anything connects; the destination's beans then use the settings it read.
 */
@FunctionalInterface
public interface DestinationCheck {

    void check(InvalidConfigurationException.Collector problems);
}
