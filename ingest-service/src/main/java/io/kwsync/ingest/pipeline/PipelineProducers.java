package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.ingest.config.MappingSettings;
import io.kwsync.ingest.kafka.TopicProvisioner;
import io.kwsync.model.Destination;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Builds the pipeline's pure parts from the validated configuration. */
@ApplicationScoped
public class PipelineProducers {

    @Produces
    @ApplicationScoped
    RecordMapper mapper(IngestConfig config) {
        Destination destination = Destination.table(config.destination().table().orElseThrow());
        MappingSettings settings = MappingSettings.of(config);
        return settings.columns().<RecordMapper>map(m -> new ColumnMappingMapper(destination, m))
                .orElseGet(() -> new JsonObjectMapper(destination, settings.charset()));
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
