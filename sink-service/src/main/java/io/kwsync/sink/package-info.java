/**
 * sink-service: reads the rows topic and writes it to one destination. This package holds what writing rows means
 * whatever the destination ({@link io.kwsync.sink.RowSink}, its results and errors) and the service's start.
 *
 * <p>The package map (checked by PackageRulesTest):
 * <ul>
 *   <li>{@code config}: the service's own settings, their start-up check, and {@code Destinations}, which picks the
 *   destination KWSYNC_SINK_TYPE names. Uses no other package of the service.</li>
 *   <li>{@code job}: the window-job protocol (a pure decision function) and its driver, over the two parts a
 *   destination contributes (staging, run-state store). Uses this package and {@code config}.</li>
 *   <li>{@code consume}: the rows consumer, dead letters, metrics; uses this package, {@code config} and
 *   {@code job}. {@code health}: readiness and liveness; uses {@code config} and {@code consume}.</li>
 *   <li>{@code jdbc}, {@code maxcompute}: the destinations, plug-ins that contribute their parts as beans named after
 *   them. They may use everything above; nothing outside a destination uses it.</li>
 * </ul>
 */
package io.kwsync.sink;
