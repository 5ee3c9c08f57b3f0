package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;
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
        return new JsonObjectMapper(Destination.table(config.destination().table().orElseThrow()));
    }

    @Produces
    @ApplicationScoped
    RowsRouting routing(TopicProvisioner topics) {
        return new RowsRouting(topics.rowsPartitions());
    }
}
