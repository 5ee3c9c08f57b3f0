package io.kwsync.ingest.writer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** Meters of the Kafka Writer, on /q/metrics as kwsync_writer_*; rows read, dirty rows and runs are kwsync_job_*. */
@Singleton
public class WriterMetrics {

    private final Counter records;
    private final Counter bytes;

    public WriterMetrics(MeterRegistry registry) {
        records = Counter.builder("kwsync.writer.records.sent").description("Records of the Kafka Writer's runs sent to the topic and acknowledged,"
                + " whether their run committed or not").register(registry);
        bytes = Counter.builder("kwsync.writer.bytes.sent").description("Bytes of keys and values the Kafka Writer's runs sent")
                .register(registry);
    }

    void written(long n, long b) {
        records.increment(n);
        bytes.increment(b);
    }
}
