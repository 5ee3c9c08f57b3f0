/**
 * The model of a destination table (its name, columns and primary key) and how it is read from JDBC metadata. Uses no
 * other package of the JDBC destination: the little it needs to know of the database comes through
 * {@link io.kwsync.sink.jdbc.schema.SchemaDialect}, which the dialects implement.
 */
package io.kwsync.sink.jdbc.schema;
