package io.kwsync.sink.job;

import io.kwsync.model.job.LoadResult;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What is recorded about one window-job run between polls; the same for every destination (each keeps it its own
 * way: rows in SQL tables, a record on a compacted topic). Immutable: {@link JobProtocol} returns a new one.
 *
 * @param table          the destination table, once known (from the run's first row or END marker)
 * @param replaces       the partition specs the run replaces, from its first END marker; null before it
 * @param rowsPartitions how many END markers complete the run; 0 before the first
 * @param allowEmpty     the run's first END marker said it may replace partitions that hold rows with no row at all;
 *                       false before it (and for states recorded before the marker carried it)
 * @param partitions     per rows partition: the next rows-topic offset to accept and the counts so far
 * @param committing     every check passed and the destination began to commit; a restart finishes the commit
 * @param decision       the run's outcome once decided, null while it stages
 * @param routed         the run's first END marker said its rows name their own tables (a routing template, which
 *                       {@code table} then holds): the run replaces its partitions in every table of {@code tables}
 * @param tables         the tables the run's rows named so far, sorted (for a routed run: the tables it replaces)
 */
public record RunState(String table, List<Map<String, String>> replaces, int rowsPartitions, boolean allowEmpty,
                       Map<Integer, RowsPartition> partitions, boolean committing, LoadResult decision, boolean routed,
                       SortedSet<String> tables) {

    public RunState {
        partitions = Collections.unmodifiableMap(new TreeMap<>(partitions));
        replaces = replaces == null ? null : List.copyOf(replaces);
        tables = Collections.unmodifiableSortedSet(tables == null ? new TreeSet<>() : new TreeSet<>(tables));
    }

    /** A run loading one table, whose rows' tables are not tracked. */
    public RunState(String table, List<Map<String, String>> replaces, int rowsPartitions, boolean allowEmpty,
                    Map<Integer, RowsPartition> partitions, boolean committing, LoadResult decision) {
        this(table, replaces, rowsPartitions, allowEmpty, partitions, committing, decision, false, null);
    }

    /** A run that may not empty a partition holding rows (every run before its first END marker says otherwise). */
    public RunState(String table, List<Map<String, String>> replaces, int rowsPartitions,
                    Map<Integer, RowsPartition> partitions, boolean committing, LoadResult decision) {
        this(table, replaces, rowsPartitions, false, partitions, committing, decision);
    }

    /** A run nothing was recorded for yet. */
    public static RunState fresh(String table) {
        return new RunState(table, null, 0, Map.of(), false, null);
    }

    /**
     * One rows partition of a run.
     *
     * @param nextOffset the lowest rows-topic offset not yet taken: anything below is a redelivery
     * @param staged     rows staged in the destination
     * @param rejected   rows the destination refused (sent to the error topic)
     * @param announced  rows the partition's END marker announces; null until it arrived
     */
    public record RowsPartition(long nextOffset, long staged, long rejected, Long announced) {
        public static final RowsPartition NONE = new RowsPartition(0, 0, 0, null);

        /** Rows that arrived, whether staged or refused: what the END marker counts. */
        public long arrived() {
            return staged + rejected;
        }
    }

    public RunState withTable(String other) {
        return new RunState(other, replaces, rowsPartitions, allowEmpty, partitions, committing, decision, routed, tables);
    }

    public RunState withPartitions(Map<Integer, RowsPartition> other) {
        return new RunState(table, replaces, rowsPartitions, allowEmpty, other, committing, decision, routed, tables);
    }

    /** The same run with its commit begun. */
    public RunState beginCommit() {
        return new RunState(table, replaces, rowsPartitions, allowEmpty, partitions, true, decision, routed, tables);
    }

    /**
     * The tables whose partitions the run replaces: for a routed run every table its rows named (a table that got
     * no row in the window is not touched), otherwise its one table.
     */
    public List<String> targets() {
        if (routed) return List.copyOf(tables);
        return table == null ? List.of() : List.of(table);
    }

    /** Rows that arrived over every rows partition, staged or refused. */
    public long arrived() {
        return partitions.values().stream().mapToLong(RowsPartition::arrived).sum();
    }

    public long staged() {
        return partitions.values().stream().mapToLong(RowsPartition::staged).sum();
    }

    public long rejected() {
        return partitions.values().stream().mapToLong(RowsPartition::rejected).sum();
    }
}
