package io.kwsync.ingest.tables;

import io.kwsync.ingest.config.WriterSource;

import java.time.Duration;

/** Opens the rows of one run from its kind of source. */
public final class TableSources {

    private TableSources() {
    }

    /**
     * @param readTimeout the longest one read from a JDBC database may wait (the run's time limit)
     * @throws SourceException when the source cannot be opened
     */
    public static RowSource open(WriterSource source, SourceRead read, Duration readTimeout) {
        return switch (source.kind()) {
            case JDBC -> JdbcRows.open(source.jdbc(), read.sql(), source.fetchSize(), readTimeout);
            case MAXCOMPUTE -> MaxComputeRows.open(source.maxCompute(), read.table(), read.partition(), source.columns());
        };
    }
}
