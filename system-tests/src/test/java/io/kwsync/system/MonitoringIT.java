package io.kwsync.system;

import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.kwsync.system.SecuredPipeline.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the alert rules in k8s/ query series the running services really export, with the
 * label values they really use; a renamed metric breaks this test rather than a dashboard in production.
 */
class MonitoringIT {

    static final Pattern SERIES = Pattern.compile("\\b((?:kwsync|kafka|jvm|process)_[a-z0-9_]+)");
    static final Pattern CLIENT_ID = Pattern.compile("client_id=~?\\\\?\"([^\"\\\\]+)");

    static Set<String> find(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void dashboardAndAlertsQueryExportedSeries() throws IOException {
        Connector c = Connector.fresh("monitoring");
        String connector = c.name();
        var env = new java.util.HashMap<>(c.env(TestKafka.bootstrap()));
        env.put("KWSYNC_SINK_METRICS_TABLES", "10"); // the dashboard's per-table panel needs the opt-in series
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) records.add(new ProducerRecord<>(c.source(), i % 3, null, json(i).getBytes(StandardCharsets.UTF_8)));
            TestKafka.sendAll(records);
            awaitRows(c.table(), 10);
            String exported = ingest.get("/q/metrics") + sink.get("/q/metrics");
            Set<String> series = find(Pattern.compile("(?m)^([a-z_0-9]+)[{ ]"), exported);
            Set<String> exportedClients = find(Pattern.compile("client_id=\"([^\"]+)\""), exported);

            for (String file : List.of("k8s/grafana/kwsync-dashboard.json", "k8s/monitoring/prometheusrule.yaml")) {
                String text = Files.readString(ServiceProcess.REPO.resolve(Path.of(file)));
                Set<String> missing = new TreeSet<>(find(SERIES, text));
                missing.removeAll(series);
                assertEquals(Set.of(), missing, file + " queries series no service exports");
                // each selector is a PromQL regex (anchored, as Java's matches()): it must select a consumer that
                // exists, and together they must select both services' consumers
                Set<String> selected = new TreeSet<>();
                for (String selector : find(CLIENT_ID, text)) {
                    Pattern p = Pattern.compile(selector);
                    Set<String> hits = new TreeSet<>(exportedClients.stream().filter(id -> p.matcher(id).matches()).toList());
                    assertTrue(!hits.isEmpty(), file + " selects client_id " + selector + ", which no consumer has: " + exportedClients);
                    selected.addAll(hits);
                }
                assertTrue(selected.containsAll(Set.of("kafka-consumer-source", "kafka-consumer-rows")), file + ": " + selected);
                assertTrue(find(CLIENT_ID, text).stream().anyMatch("kafka-consumer-source-1"::matches),
                        file + " misses the source consumers of KWSYNC_SOURCE_CONCURRENCY above 1 (kafka-consumer-source-N)");
            }
        }
    }
}
