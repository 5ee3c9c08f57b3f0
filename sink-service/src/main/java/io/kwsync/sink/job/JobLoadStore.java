package io.kwsync.sink.job;

import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;

import java.util.List;

/**
 * The destination side of window jobs: makes each run's rows visible all at once, replacing the partitions the run
 * names, or not at all. Each destination contributes one, {@link JobRuns} over its {@link JobStaging} and
 * {@link RunStateStore}, chosen like its {@link RowSink}.
 *
 * <p>Contract. {@link #apply} receives the job items of a poll in rows-topic order per rows partition; items of one
 * run may be spread over several rows partitions and so over several sink replicas. The store keeps them durably
 * (staging) before it returns, and when it has seen the END marker of every rows partition of a run and staged as many
 * rows as the markers announce, it replaces the run's partitions with the staged rows (in one atomic step where the
 * destination allows it). A record delivered again after a restart must change nothing (the rows-topic offset
 * identifies it); a marker of a run already decided returns that decision again, so a lost status message is sent
 * anew.
 *
 * <p>Errors. A problem with one run's data or destination (missing table or column, a constraint the rows break)
 * fails that run: it is returned as FAILED and the destination is unchanged. Only a destination that cannot be reached
 * throws a retriable {@link SinkException}; the caller then retries the same items.
 *
 * <p>Destinations: JDBC stages into a table of the run's own and replaces in one transaction; MaxCompute stages into
 * one tunnel upload session with overwrite per destination partition, committed when the last END marker arrives (the
 * partitions of one run are replaced one after another, each atomically).
 */
public interface JobLoadStore extends AutoCloseable {

    /**
     * @param rejects receives rows the destination refuses; must be durable before the store commits
     * @return the runs decided (or seen decided again) by these items, to be published on the status topic
     */
    List<LoadResult> apply(List<JobItem> items, RowSink.RejectHandler rejects) throws SinkException;

    @Override
    void close();
}
