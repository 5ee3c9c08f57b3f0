/**
 * The MaxCompute destination: its plug-in wiring ({@link io.kwsync.sink.maxcompute.MaxComputeDestination}), settings
 * and SDK clients; the streaming sink over tunnel sessions with its commit log in a compacted topic; window-job staging
 * in overwrite sessions ({@link io.kwsync.sink.maxcompute.MaxComputeStaging}) with run states recorded in the same
 * topic ({@link io.kwsync.sink.maxcompute.MaxComputeRunStore}); and the DDL endpoint.
 */
package io.kwsync.sink.maxcompute;
