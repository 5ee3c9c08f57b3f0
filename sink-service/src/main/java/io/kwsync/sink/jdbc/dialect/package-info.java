/**
 * What differs between the SQL databases the JDBC destination writes to, one family of classes per database
 * ({@code MySql*}, {@code Postgres*}) behind {@link io.kwsync.sink.jdbc.dialect.SqlDialect}: SQL text, identifier
 * rules, column kinds and limits ({@link io.kwsync.sink.jdbc.dialect.ColumnRules}), the bulk-load path, error codes
 * ({@link io.kwsync.sink.jdbc.dialect.SqlErrors}) and driver settings. Nothing outside this package asks which
 * database it is. Uses only the table model ({@code jdbc.schema}).
 */
package io.kwsync.sink.jdbc.dialect;
