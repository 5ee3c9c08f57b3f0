/**
 * The JDBC destination (AnalyticDB for MySQL / PostgreSQL, MySQL, MariaDB, PostgreSQL): its plug-in wiring
 * ({@link io.kwsync.sink.jdbc.JdbcDestination}), settings, connection pools and the streaming sink with its progress
 * table and optional DDL. Its subpackages are layered, each using only those after it:
 * <ul>
 *   <li>{@code job}: window-job staging tables and run bookkeeping;</li>
 *   <li>{@code write}: coercion of values to column types and the INSERT / bulk-load statements, shared by the
 *   streaming sink and job staging;</li>
 *   <li>{@code dialect}: everything that differs between databases (SQL text, identifiers, column types and limits,
 *   bulk-load format, error codes, driver settings); the only place that knows which database it is;</li>
 *   <li>{@code schema}: the table model and how it is read from JDBC metadata.</li>
 * </ul>
 */
package io.kwsync.sink.jdbc;
