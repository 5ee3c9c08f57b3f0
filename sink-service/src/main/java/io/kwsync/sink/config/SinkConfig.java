package io.kwsync.sink.config;

import io.kwsync.runtime.config.ServiceConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * What sink-service reads from its environment whatever the destination. Each key {@code kwsync.a.b-c} is set by the
 * variable {@code KWSYNC_A_B_C}; {@link SinkConfigCheck} validates the combination at start. Each destination reads its
 * own group ({@code kwsync.jdbc.*}, {@code kwsync.maxcompute.*}) through a mapping in its package, checked by its
 * {@link DestinationCheck}.
 */
@ConfigMapping(prefix = "kwsync")
public interface SinkConfig extends ServiceConfig {

    Rows rows();

    Error error();

    Sink sink();

    interface Rows {
        /** The internal topic ingest-service writes RowEvents to. Default: kwsync-rows-NAME. */
        String topic();

        /** Partitions of the rows topic when it is created here; keep equal to ingest-service's setting. */
        @WithDefault("6")
        int topicPartitions();
    }

    interface Error {
        /** Where rows the destination refuses go, with the reason. Default: connect-error-NAME. */
        String topic();
    }

    interface Sink {
        /**
         * Destination kind: jdbc (AnalyticDB for MySQL / PostgreSQL) or maxcompute, the name a destination of this
         * service is known by ({@link Destinations}); another value stops the start.
         */
        @WithDefault("jdbc")
        String type();

        /** A batch is written when it holds this many rows... */
        @WithDefault("10000")
        int batchMaxRows();

        /** ...or when its oldest row has waited this long. */
        @WithDefault("1s")
        Duration batchMaxAge();

        /** Longest pause between two attempts to write a batch while the destination is unavailable. */
        @WithDefault("30s")
        Duration retryBackoffMax();

        /** How long a batch is retried before the service gives up, reports DOWN and stops consuming. */
        @WithDefault("10m")
        Duration retryTimeout();

        /**
         * On SIGTERM, how long the sink may take to write and commit the rows it holds before it exits anyway (what
         * is not committed then is read again after the restart; nothing is lost). Keep it below the pod's
         * terminationGracePeriodSeconds (30s by default).
         */
        @WithDefault("20s")
        Duration shutdownTimeout();

        /**
         * Tables that get a metrics series of their own (kwsync_table_rows_total{table}): the first this many seen;
         * later ones count as table="_other". 0 (the default): no per-table series.
         */
        @WithDefault("0")
        int metricsTables();
    }
}
