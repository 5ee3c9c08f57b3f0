package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.ingest.config.MappingSettings;
import io.kwsync.ingest.kafka.TopicProvisioner;
import io.kwsync.ingest.config.IngestConfigCheck;
import io.kwsync.ingest.config.RecordSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Builds the pipeline's pure parts from the validated configuration. */
@ApplicationScoped
public class PipelineProducers {

    @Produces
    @ApplicationScoped
    RecordMapper mapper(IngestConfig config) {
        IngestConfigCheck.check(config); // producers may run before the start-up check
        RecordSettings s = RecordSettings.of(config);
        String table = config.destination().table().orElseThrow();
        RowDestination destination = s.partitioner().map(p -> RowDestination.timePartitioned(table, p))
                .orElseGet(() -> RowDestination.fixed(table));
        MappingSettings mapping = MappingSettings.of(config);
        return switch (s.layout()) {
            case JSON_COLUMNS -> mapping.columns().<RecordMapper>map(m -> new ColumnMappingMapper(destination, m))
                    .orElseGet(() -> new JsonObjectMapper(destination, mapping.charset()));
            case KEY_VALUE -> new KeyValueMapper(destination, s.mode(), s.format());
        };
    }

    @Produces
    @ApplicationScoped
    DirtyRecordPolicy dirtyRecordPolicy(IngestConfig config) {
        return new DirtyRecordPolicy(config.failure().policy(), config.error().limit().orElse(-1L));
    }

    @Produces
    @ApplicationScoped
    RowsRouting routing(TopicProvisioner topics) {
        return new RowsRouting(topics.rowsPartitions());
    }
}
