package io.kwsync.ingest.tables;

import java.util.List;

/**
 * The rows one run reads from its source, streamed: a run never holds the table in memory. Values are plain Java
 * values (see {@code outbound.SourceText} for the set). Not thread-safe; closed by the run.
 */
public interface RowSource extends AutoCloseable {

    /** The column names, in the order of each row's values. */
    List<String> columns();

    /**
     * The next row, or null after the last.
     *
     * @throws SourceException when reading fails
     */
    Object[] next();

    @Override
    void close();
}
