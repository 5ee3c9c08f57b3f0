/**
 * Readiness (the chosen destination answers and the writer is not stopped) and liveness (the writer has not given up),
 * with the contract of a destination's part of readiness ({@link io.kwsync.sink.health.DestinationHealth}). Uses
 * {@code config} and {@code consume}.
 */
package io.kwsync.sink.health;
