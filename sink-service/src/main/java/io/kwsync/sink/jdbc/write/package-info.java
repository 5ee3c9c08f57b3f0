/**
 * How rows get into a table, for the streaming sink and for job staging alike: values coerced in Java to what each
 * column takes ({@link io.kwsync.sink.jdbc.write.ColumnWriter}), rows grouped into statement shapes
 * ({@link io.kwsync.sink.jdbc.write.RowPlan}), and written by multi-row INSERT or the database's bulk load with a
 * row-by-row fallback ({@link io.kwsync.sink.jdbc.write.RowInserter}). Uses {@code jdbc.dialect} and {@code jdbc.schema}.
 */
package io.kwsync.sink.jdbc.write;
