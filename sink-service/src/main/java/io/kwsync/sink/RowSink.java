package io.kwsync.sink;

import io.kwsync.model.RowEvent;

import java.util.List;

/**
 * How a destination writes streaming rows. Each destination package contributes one, chosen by
 * {@code KWSYNC_SINK_TYPE} ({@link io.kwsync.sink.config.Destinations}); exactly one instance per service.
 *
 * <p>Lifecycle: created at start-up, when it checks that it can reach the destination and prepares what it needs
 * (for JDBC, its progress table). {@link #write} and {@link #commitDue} are called by one thread at a time; a write
 * gets a batch of rows in source order per source partition. When {@code write} returns, every row of the batch is
 * in the destination, durable or held in something the destination commits later (a MaxCompute tunnel session that
 * takes blocks until it is due), or has been handed to {@code rejects}.
 *
 * <p>Durability: the caller counts the writes that returned normally (1, 2, 3...) and acknowledges a batch to Kafka
 * only once {@link #commitDue} says that the write holding its rows is durable. A destination that commits within
 * {@code write} keeps the default, which says every write is. One that holds rows open commits them when its own
 * limits (size, age) say so, and all of them when the caller asks (before partitions are handed to another replica,
 * at shutdown). A write that fails leaves nothing of its own to commit: the caller writes the same batch again. The
 * sink must make a repeated write of rows it already committed, or holds, harmless (rows carry their source
 * coordinates for that). {@link #close} is called once at shutdown after the last write.
 *
 * <p>Errors: {@link SinkException#retriable()} tells the caller whether the same batch may succeed later (network,
 * destination restarting) or never will (missing table, permissions).
 */
public interface RowSink extends AutoCloseable {

    /** {@link #commitDue}'s answer when every write so far is durable. */
    long ALL_WRITES = Long.MAX_VALUE;

    /** Writes a batch; see the class comment for the guarantees. */
    WriteResult write(List<RowEvent> rows, RejectHandler rejects) throws SinkException;

    /**
     * Commits the rows this sink holds open that are due by its own limits, or all of them when {@code everything};
     * returns how many writes of this instance, counted from its first, have every row durable ({@link #ALL_WRITES}:
     * all of them). Called after writes and periodically while something is held, so that a partition that went
     * quiet is committed too.
     */
    default long commitDue(boolean everything) throws SinkException {
        return ALL_WRITES;
    }

    @Override
    void close();

    /**
     * Receives rows the destination refuses, before the batch commits; must not return until they are durable.
     *
     * <p>A retry of the batch, or a restart after a crash between {@code reject} and the commit, refuses the same rows
     * again. A destination that can note durably, apart from its batch, that refusals may be on their way asks for a
     * {@link #mark} before calling {@code reject}, keeps the oldest mark per source partition until a commit covers the
     * refused rows, and passes those it holds as {@code since}: the handler then skips the refusals it already published, so each
     * refused row reaches the error topic once.
     */
    @FunctionalInterface
    interface RejectHandler {
        void reject(List<Rejected> rejected);

        /** Where the handler's output ends now (opaque text of at most a few hundred characters); null if it keeps none. */
        default String mark() {
            return null;
        }

        /**
         * As {@link #reject(List)}, skipping rows already published since any of the marks {@code since}, taken before
         * earlier attempts that may have published some of them; empty when no earlier attempt can have.
         */
        default void reject(List<Rejected> rejected, List<String> since) {
            reject(rejected);
        }
    }
}
