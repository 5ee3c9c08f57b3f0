/**
 * The rows consumer: reads the rows topic in batches, writes streaming rows through the chosen
 * {@link io.kwsync.sink.RowSink} and hands window-job items to {@code job}, acknowledges only what is durable, and sends
 * refused rows to the error topic. Uses the service's root package, {@code config} and {@code job}.
 */
package io.kwsync.sink.consume;
