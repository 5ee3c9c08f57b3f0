/**
 * The settings of sink-service that do not depend on the destination, their start-up check, and the choice of
 * destination ({@link io.kwsync.sink.config.Destinations}) with the contract of a destination's own check
 * ({@link io.kwsync.sink.config.DestinationCheck}). Uses no other package of the service, so every other package may
 * use it.
 */
package io.kwsync.sink.config;
