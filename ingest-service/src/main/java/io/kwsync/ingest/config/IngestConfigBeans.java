package io.kwsync.ingest.config;

import io.kwsync.ingest.convert.ColumnMappingMapper;
import io.kwsync.ingest.convert.DecodedMapper;
import io.kwsync.ingest.convert.JsonObjectMapper;
import io.kwsync.ingest.convert.KeyValueMapper;
import io.kwsync.ingest.convert.RecordMapper;
import io.kwsync.ingest.convert.RowDestination;
import io.kwsync.ingest.convert.TombstoneMapper;
import io.kwsync.ingest.format.SchemaRegistryClient;
import io.kwsync.ingest.partition.RecordPartitioner;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.ingest.route.RoutedMapper;
import io.kwsync.runtime.kafka.NativeLz4;
import io.kwsync.runtime.kafka.TopicProvisioner;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Map;

/**
 * The start-up step of the configuration: reads it once into {@link IngestSettings} (whichever bean asks first, at
 * the latest before anything connects), and hands the settings, and what they configure, to the rest: the record
 * mapper and the topic provisioner shared with the other service (shared-runtime). The shared beans inject
 * {@code ServiceConfig}, which this service's mapping extends, directly.
 */
@ApplicationScoped
public class IngestConfigBeans {

    private static final Logger LOG = Logger.getLogger(IngestConfigBeans.class);

    @Produces
    @Singleton
    IngestSettings settings(IngestConfig config, IngestMode mode, JobConfig job, WriterConfig writer, Config raw) {
        return IngestSettings.read(config, mode, job, writer, RawSettings.of(raw));
    }

    /**
     * Reads the settings before anything connects (Kafka channels start later, at LIBRARY_BEFORE), so that a bad
     * Deployment stops at once with a message naming each wrong variable.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, IngestSettings settings,
                 FormatSettings formats) {
        LOG.debugf("connector %s in %s mode, value format %s, lz4 codec %s", settings.connector(), settings.mode(),
                formats.valueFormat(), NativeLz4.status());
    }

    /** The record formats (KWSYNC_VALUE_FORMAT, KWSYNC_KEY_FORMAT) and the schema registry, checked at start. */
    @Produces
    @Singleton
    FormatSettings formats(FormatConfig formats, IngestConfig config, IngestSettings settings) {
        var problems = new InvalidConfigurationException.Collector();
        FormatSettings s = FormatSettings.of(formats, config, problems);
        boolean readsValue = settings.record().partitioner().filter(RecordPartitioner::readsValue).isPresent();
        problems.check(!readsValue || s.valueFormat().equals("json"), "kwsync.value.format", "is '" + s.valueFormat()
                + "', but a partition field (KWSYNC_PARTITION_FIELDS or KWSYNC_PARTITION_TIME_FIELD) reads value.PATH,"
                + " which needs JSON values: use key, header.NAME or topic, or KWSYNC_VALUE_FORMAT=json");
        problems.throwIfAny();
        return s;
    }

    /** What a tombstone on a plain topic does (KWSYNC_TOMBSTONE), checked at start against the formats. */
    @Produces
    @Singleton
    TombstoneMapper.Policy tombstones(FormatConfig formats, IngestConfig config) {
        var problems = new InvalidConfigurationException.Collector();
        boolean changeEvents = FormatSettings.CHANGE_FORMATS.contains(formats.value().format().trim().toLowerCase(Locale.ROOT));
        TombstoneMapper.Policy p = TombstoneSettings.read(formats.tombstone(), config.record().layout(), changeEvents, problems);
        problems.throwIfAny();
        return p;
    }

    /** How each source record becomes its row, as the settings say. */
    @Produces
    @Singleton
    RecordMapper mapper(IngestSettings s, FormatSettings f, TombstoneMapper.Policy tombstones) {
        RowDestination destination = s.record().partitioner().map(p -> RowDestination.partitioned(s.table(), p))
                .orElseGet(() -> RowDestination.fixed(s.table()));
        SchemaRegistryClient client = f.isJson() ? null : f.client();
        RecordMapper byLayout = switch (s.record().layout()) {
            case JSON_COLUMNS -> !f.isJson() ? decoded(destination, s, f, client)
                    : s.mapping().columns().<RecordMapper>map(m -> new ColumnMappingMapper(destination, m))
                    .orElseGet(() -> new JsonObjectMapper(destination, s.mapping().charset()));
            case KEY_VALUE -> new KeyValueMapper(destination, s.record().mode(), s.record().format());
        };
        RecordMapper mapper = TombstoneMapper.wrap(byLayout, tombstones, destination, f.keyDecoder(client),
                s.mapping().columns().isPresent());
        return s.route().<RecordMapper>map(router -> new RoutedMapper(mapper, router)).orElse(mapper);
    }

    /** Records of a schema-registry or change-event format (KWSYNC_VALUE_FORMAT other than json). */
    private static RecordMapper decoded(RowDestination destination, IngestSettings s, FormatSettings f, SchemaRegistryClient client) {
        return new DecodedMapper(destination, f.valueDecoder(client), f.keyDecoder(client), f.envelope(),
                s.mapping().columns().orElse(null));
    }

    /** In writer mode the Kafka Writer's topic takes the rows topic's place: nothing reads a rows topic there. */
    @Produces
    @Singleton
    TopicProvisioner topics(IngestSettings s, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return new TopicProvisioner(kafkaConfig, s.createTopics(), s.writer().map(WriterDefinition::topic).orElse(s.rows().topic()),
                s.rows().topicPartitions(), s.errors().topic());
    }
}
