package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.ingest.config.MappingSettings;
import io.kwsync.runtime.kafka.TopicProvisioner;
import io.kwsync.ingest.config.IngestConfigCheck;
import io.kwsync.ingest.config.RecordSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.enterprise.inject.Produces;

import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Reads the dirty-record count from the error topic before the source channel starts (at LIBRARY_BEFORE). */
    void loadDirtyRecordCount(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 20) StartupEvent event,
                              DirtyRecordPolicy policy) {
        policy.counted();
    }

    @Produces
    @ApplicationScoped
    DirtyRecordPolicy dirtyRecordPolicy(IngestConfig config, TopicProvisioner topics,
                                         @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        long limit = config.error().limit().orElse(-1L);
        Set<String> recorded = Set.of();
        if (DirtyRecordPolicy.needsHistory(config.failure().policy(), limit)) {
            topics.rowsPartitions(); // the error topic exists from here on
            recorded = DirtyRecordHistory.read(kafka, config.error().topic(), config.connector().name().orElseThrow(),
                    Set.copyOf(config.source().topics().orElse(List.of())));
        }
        return new DirtyRecordPolicy(config.failure().policy(), limit, recorded);
    }

    @Produces
    @ApplicationScoped
    RowsRouting routing(TopicProvisioner topics) {
        return new RowsRouting(topics.rowsPartitions());
    }
}
