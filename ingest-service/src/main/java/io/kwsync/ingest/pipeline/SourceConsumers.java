package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.kafka.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Starts the streaming path in streaming mode (KWSYNC_INGEST_MODE stream; a window job or the Kafka Writer starts
 * none): KWSYNC_SOURCE_CONCURRENCY source consumers in the group {@code connect-<connector name>}, each on a thread of
 * its own ({@link SourceLoop}), subscribed to KWSYNC_SOURCE_TOPICS or to KWSYNC_SOURCE_TOPIC_PATTERN. They reach the
 * broker as every other client of the service does ({@link KafkaClients}: bootstrap servers, TLS, SASL, session
 * timeout); the settings of their own (fetch sizes, poll size, metadata refresh) are the
 * {@code mp.messaging.incoming.source.*} lines of application.properties, where any other consumer setting may be
 * given too (also as an environment variable, as when a messaging channel read the topics). Each consumer's Kafka client metrics are exported as long as it is open.
 * <p>
 * At shutdown the loops stop polling first (before a record waiting for the schema registry is given up, so that is
 * not taken for a failure), then each is awaited, bounded, while it commits and closes.
 */
@Singleton
public class SourceConsumers {

    private static final Logger LOG = Logger.getLogger(SourceConsumers.class);
    /** The client id the source channel's consumer had (before the service polled its own), so its kafka_consumer_* series keep their labels. */
    static final String CLIENT_ID = "kafka-consumer-source";
    /** The source channel's attribute names, kept so operators' MP_MESSAGING_INCOMING_SOURCE_* variables still apply. */
    static final String SETTINGS_PREFIX = "mp.messaging.incoming.source.";
    /** Set by the service itself: the group, the client id, where a new group starts, no auto-commit, byte arrays. */
    static final Set<String> OWN = Set.of(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    /** Longer than a loop needs to finish a poll, await its sends, commit and close (each bounded). */
    static final long JOIN_MS = 25_000;

    private final IngestSettings settings;
    private final IngestConfig config;
    private final KafkaClients clients;
    private final SourceProcessor processor;
    private final ConnectorStop stop;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Config raw;
    private final boolean streaming;
    private final List<SourceLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    public SourceConsumers(IngestSettings settings, IngestConfig config, KafkaClients clients, SourceProcessor processor,
                           ConnectorStop stop, MeterRegistry registry, Clock clock, Config raw) {
        this.settings = settings;
        this.config = config;
        this.clients = clients;
        this.processor = processor;
        this.stop = stop;
        this.registry = registry;
        this.clock = clock;
        this.raw = raw;
        // switched off only by tests that need a quiet group (the preview's)
        this.streaming = !settings.jobMode() && raw.getOptionalValue(SETTINGS_PREFIX + "enabled", Boolean.class).orElse(true);
    }

    /** After the dirty-record count was read (PipelineProducers) and the topics exist. */
    synchronized void start(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        if (!streaming) return;
        int n = config.source().concurrency();
        for (int i = 0; i < n; i++) {
            String clientId = n == 1 ? CLIENT_ID : CLIENT_ID + "-" + i;
            KafkaConsumer<byte[], byte[]> consumer = clients.consumer(consumerSettings(clientId));
            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
            metrics.bindTo(registry);
            SourceLoop loop = new SourceLoop(clientId, consumer, listener -> {
                if (settings.sourcePattern().isPresent()) {
                    consumer.subscribe(settings.sourcePattern().get(), listener);
                } else {
                    consumer.subscribe(settings.sourceTopics(), listener);
                }
            }, processor, stop, clock, metrics::close);
            Thread thread = new Thread(loop, "kwsync-source-" + i);
            loops.add(loop);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        LOG.infof("reading %s with %d consumer thread(s) in group %s", settings.describeSource(), n, group());
    }

    Map<String, Object> consumerSettings(String clientId) {
        Map<String, Object> p = new HashMap<>();
        for (String name : ConsumerConfig.configNames()) { // looked up by name, so environment variables are found
            if (!OWN.contains(name)) raw.getOptionalValue(SETTINGS_PREFIX + name, String.class).ifPresent(v -> p.put(name, v));
        }
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.source().offsetReset().name().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }

    private String group() {
        return KafkaClients.sourceGroup(settings.connector());
    }

    /** First at shutdown: no loop starts another poll. */
    void stopPolling(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        loops().forEach(SourceLoop::shutdown);
    }

    /** After a record waiting for the schema registry was let go ({@link RegistryWait}): each loop commits and closes. */
    void awaitLoops(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 2) ShutdownEvent event) {
        long deadline = System.nanoTime() + JOIN_MS * 1_000_000;
        for (Thread t : threads()) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) LOG.warnf("source consumer thread %s did not end within %d ms", t.getName(), JOIN_MS);
        }
    }

    /** The loops, for the health checks; empty in job and writer mode. */
    public synchronized List<SourceState> states() {
        List<SourceState> out = new ArrayList<>();
        for (SourceLoop l : loops) out.add(l.state());
        return out;
    }

    /** Whether source consumers run: in streaming mode (KWSYNC_INGEST_MODE stream). */
    public boolean streaming() {
        return streaming;
    }

    private synchronized List<SourceLoop> loops() {
        return List.copyOf(loops);
    }

    private synchronized List<Thread> threads() {
        return List.copyOf(threads);
    }
}
