package io.kwsync.sink;

import io.kwsync.model.RowEvent;

import java.util.List;

/**
 * How a destination writes streaming rows. Each destination package contributes one, chosen by
 * {@code KWSYNC_SINK_TYPE} ({@link io.kwsync.sink.config.Destinations}); exactly one instance per service.
 *
 * <p>Lifecycle: created at start-up, when it checks that it can reach the destination and prepares what it needs
 * (for JDBC, its progress table). {@link #write} is called by one thread at a time with a batch of rows in source
 * order per source partition. When {@code write} returns, every row of the batch is durable in the destination or
 * has been handed to {@code rejects}; the caller then acknowledges the batch to Kafka. The sink must make a repeated
 * write of rows it already committed harmless (rows carry their source coordinates for that). {@link #close} is
 * called once at shutdown after the last write.
 *
 * <p>Errors: {@link SinkException#retriable()} tells the caller whether the same batch may succeed later (network,
 * destination restarting) or never will (missing table, permissions).
 */
public interface RowSink extends AutoCloseable {

    /** Writes a batch; see the class comment for the guarantees. */
    WriteResult write(List<RowEvent> rows, RejectHandler rejects) throws SinkException;

    @Override
    void close();

    /** Receives rows the destination refuses, before the batch commits; must not return until they are durable. */
    @FunctionalInterface
    interface RejectHandler {
        void reject(List<Rejected> rejected);
    }
}
