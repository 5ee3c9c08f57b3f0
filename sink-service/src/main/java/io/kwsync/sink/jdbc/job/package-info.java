/**
 * The JDBC destination's two parts of window jobs: staging tables replaced into the destination in one transaction
 * ({@link io.kwsync.sink.jdbc.job.JdbcStaging}) and run bookkeeping in the database
 * ({@link io.kwsync.sink.jdbc.job.JdbcRunStore}), both inside one transaction per run and poll
 * ({@link io.kwsync.sink.jdbc.job.JdbcRun}). Uses the shared {@code job} protocol and {@code jdbc.write},
 * {@code jdbc.dialect}, {@code jdbc.schema}.
 */
package io.kwsync.sink.jdbc.job;
