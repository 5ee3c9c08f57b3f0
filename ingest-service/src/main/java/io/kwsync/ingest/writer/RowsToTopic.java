package io.kwsync.ingest.writer;

import io.kwsync.ingest.config.WriterDefinition;
import io.kwsync.ingest.job.JobMetrics;
import io.kwsync.ingest.job.JobRunException;
import io.kwsync.ingest.job.RunAttempt;
import io.kwsync.ingest.outbound.RecordBuilder;
import io.kwsync.ingest.tables.RowSource;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;

import java.util.List;

/**
 * The body of one Kafka Writer run: every source row becomes a record ({@link RecordBuilder}) sent to the topic, or,
 * when a value does not convert, a dead letter sent to the error topic ({@link DirtyRows}), counted against the
 * dirty-row limit. Records without a key and without a fixed partition go round robin over the topic's partitions;
 * records with a key go where the producer's partitioner puts them. After every batchSize records it waits for the
 * broker's acknowledgements and checks that the run may go on; the throughput limit paces every send.
 */
final class RowsToTopic {

    private final WriterDefinition def;
    private final TopicOutput output;
    private final JobMetrics metrics;
    private final WriterMetrics writerMetrics;
    private final DirtyRows dirty;
    private final Throttle throttle;
    private long records;
    private long dirtyRows;
    private long bytes;

    RowsToTopic(WriterDefinition def, TopicOutput output, JobMetrics metrics, WriterMetrics writerMetrics, DirtyRows dirty,
                Throttle throttle) {
        this.def = def;
        this.output = output;
        this.metrics = metrics;
        this.writerMetrics = writerMetrics;
        this.dirty = dirty;
        this.throttle = throttle;
    }

    /**
     * Reads every row and sends its record; returns when all are acknowledged.
     *
     * @param source what the run reads, for the dead letters' headers
     * @throws JobRunException when the dirty rows pass the limit (not retriable), or a send failed
     */
    void write(RowSource rows, String source, RunAttempt a) {
        RecordBuilder builder = new RecordBuilder(def.layout());
        List<String> columns = rows.columns();
        int needed = def.layout().columnsNeeded();
        if (columns.size() < needed) {
            throw new JobRunException("the source gives " + columns.size() + " columns " + columns + ", but the key and value"
                    + " settings use column index " + (needed - 1) + " (KWSYNC_WRITER_KEY_INDEX, _KEY_INDEXES, _VALUE_INDEX count from 0)", false);
        }
        List<PartitionInfo> partitions = output.partitions(def.topic());
        if (def.partition() != null && partitions.stream().noneMatch(p -> p.partition() == def.partition())) {
            throw new JobRunException("topic " + def.topic() + " has no partition " + def.partition() + " (KWSYNC_WRITER_PARTITION); it has "
                    + partitions.size(), false);
        }
        Callback sent = (md, e) -> {
            if (e != null) a.sendFailed(e);
        };
        long row = 0;
        Object[] values;
        while ((values = rows.next()) != null) {
            row++;
            a.counted(1, 0, 0);
            metrics.read();
            ProducerRecord<byte[], byte[]> record;
            try {
                RecordBuilder.KeyValue kv = builder.build(values);
                Integer partition = def.partition() != null ? def.partition()
                        : kv.key() == null ? (int) (records % partitions.size()) : null;
                record = new ProducerRecord<>(def.topic(), partition, kv.key(), kv.value());
                records++;
                a.counted(0, 1, 0);
            } catch (DirtyRecordException e) {
                dirtyRows++;
                a.counted(0, 0, 1);
                metrics.dirty();
                record = dirty.record(columns, values, row, a.status().id, source, e);
                if (def.errorLimit() >= 0 && dirtyRows > def.errorLimit()) {
                    throw new DirtyLimitException("row " + row + " is dirty, more than the " + def.errorLimit() + " dirty rows a run may have"
                            + " (KWSYNC_WRITER_ERROR_LIMIT): " + DeadLetter.describe(e));
                }
            }
            output.send(record, sent);
            long size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
            bytes += size;
            throttle.sent(size, a::check);
            if (row % def.batchSize() == 0) {
                output.flush();
                a.check();
                a.publishProgress(false);
            }
        }
        output.flush();
        a.check();
        writerMetrics.written(records, bytes);
    }

    long records() {
        return records;
    }

    long dirtyRows() {
        return dirtyRows;
    }

    /** The first dead letters of the run (see {@link DirtyRows#kept()}). */
    List<ProducerRecord<byte[], byte[]>> dirtyRowsKept() {
        return dirty.kept();
    }

    /** The dirty rows passed the run's limit: the run fails for good, its transaction is rolled back. */
    static final class DirtyLimitException extends JobRunException {
        DirtyLimitException(String message) {
            super(message, false);
        }
    }
}
