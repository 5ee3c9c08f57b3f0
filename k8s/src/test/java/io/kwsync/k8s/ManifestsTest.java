package io.kwsync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The manifests as kustomize would render them, checked against the services themselves: kinds and required
 * fields, probes on the real health paths and port, hardened pods, and every KWSYNC_* variable one the service reads.
 */
class ManifestsTest {

    static final Map<String, String> API_VERSIONS = Map.of("Deployment", "apps/v1", "Service", "v1", "ConfigMap", "v1",
            "ServiceAccount", "v1", "Namespace", "v1", "Secret", "v1", "HorizontalPodAutoscaler", "autoscaling/v2",
            "PodDisruptionBudget", "policy/v1", "PodMonitor", "monitoring.coreos.com/v1", "PrometheusRule", "monitoring.coreos.com/v1");
    /** Container name -> the module whose configuration it must match. */
    static final Map<String, String> MODULES = Map.of("ingest", "ingest-service", "sink", "sink-service");
    static final Map<String, ServiceSettings> SETTINGS = new HashMap<>();

    static ServiceSettings settings(String container) {
        String module = MODULES.get(container);
        assertNotNull(module, "container " + container + " is neither ingest nor sink");
        return SETTINGS.computeIfAbsent(module, ServiceSettings::of);
    }

    static List<ObjectNode> render(String dir) {
        return Kustomize.render(Repo.K8S.resolve(dir));
    }

    static List<ObjectNode> ofKind(List<ObjectNode> resources, String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    @Test
    void everyYamlFileParsesAndEveryDocumentHasKindVersionAndName() {
        List<Path> files = Repo.k8sFiles(".yaml");
        assertTrue(files.size() >= 15, files.toString());
        for (Path f : files) {
            for (ObjectNode doc : Repo.yaml(f)) {
                String kind = doc.path("kind").asText();
                if (kind.equals("Kustomization")) {
                    assertEquals("kustomize.config.k8s.io/v1beta1", doc.path("apiVersion").asText(), f.toString());
                    continue;
                }
                assertTrue(API_VERSIONS.containsKey(kind), f + ": unexpected kind " + kind);
                assertEquals(API_VERSIONS.get(kind), doc.path("apiVersion").asText(), f + " " + kind);
                assertFalse(doc.path("metadata").path("name").asText().isBlank(), f + ": metadata.name");
            }
        }
    }

    @Test
    void everyFileAKustomizationNamesExists() {
        List<Path> kustomizations = Repo.k8sFiles("kustomization.yaml");
        assertEquals(Set.of("base", "overlays/example", "monitoring"), kustomizations.stream()
                .map(k -> Repo.K8S.relativize(k.getParent()).toString()).collect(Collectors.toSet()));
        for (Path k : kustomizations) {
            for (Path ref : Kustomize.referencedFiles(k.getParent())) {
                assertTrue(Files.exists(ref), k + " names " + ref + ", which does not exist");
                if (Files.isDirectory(ref)) assertTrue(Files.exists(Kustomize.kustomization(ref)), ref + " has no kustomization.yaml");
            }
        }
        render("monitoring");
    }

    @Test
    void theExampleOverlayIsAppliedOnTopOfTheBase() {
        List<ObjectNode> all = render("overlays/example");
        JsonNode sink = Kustomize.find(all, "Deployment", "kwsync-sink").path("spec").path("template").path("spec");
        JsonNode container = single(sink.path("containers"));
        assertEquals("registry.example.com/kwsync/sink-service:0.1.0", container.path("image").asText());
        assertEquals(Set.of("tmp", "api-token", "jdbc-credentials", "kafka-credentials"), names(sink.path("volumes")));
        assertEquals(Set.of("tmp", "api-token", "jdbc-credentials", "kafka-credentials"), names(container.path("volumeMounts")));
        Map<String, String> env = environment(all, container);
        assertEquals("orders-to-adb", env.get("KWSYNC_CONNECTOR_NAME"), "overlay value wins");
        assertEquals("INFO", env.get("KWSYNC_LOG_LEVEL"), "base value kept");
        assertEquals("SASL_SSL", env.get("KWSYNC_KAFKA_SECURITY_PROTOCOL"));
        assertEquals("/var/run/secrets/kwsync/jdbc/password", env.get("KWSYNC_JDBC_PASSWORD_FILE"));
        assertEquals(12, Kustomize.find(all, "HorizontalPodAutoscaler", "kwsync-sink").path("spec").path("maxReplicas").asInt());
        assertEquals("kwsync-orders", Kustomize.find(all, "Namespace", "kwsync-orders").path("metadata").path("name").asText());
    }

    static Set<String> names(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(v -> out.add(v.path("name").asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/example"})
    void theRenderedSetHoldsBothServicesWithEverythingTheyNeed(String dir) {
        List<ObjectNode> all = render(dir);
        Map<String, Long> kinds = all.stream().collect(Collectors.groupingBy(r -> r.path("kind").asText(), Collectors.counting()));
        assertEquals(2L, kinds.get("Deployment"));
        assertEquals(2L, kinds.get("Service"));
        assertEquals(2L, kinds.get("HorizontalPodAutoscaler"));
        assertEquals(2L, kinds.get("PodDisruptionBudget"));
        assertEquals(3L, kinds.get("ConfigMap"));
        assertEquals(1L, kinds.get("ServiceAccount"));
        assertFalse(kinds.containsKey("Secret"), "no Secret is ever rendered from git");
        Set<String> names = all.stream().map(r -> r.path("kind").asText() + "/" + r.path("metadata").path("name").asText()).collect(Collectors.toSet());
        assertEquals(all.size(), names.size(), "unique kind/name pairs");
        if (dir.startsWith("overlays")) {
            String ns = Repo.yaml(Kustomize.kustomization(Repo.K8S.resolve(dir))).get(0).path("namespace").asText();
            all.stream().filter(r -> !r.path("kind").asText().equals("Namespace"))
                    .forEach(r -> assertEquals(ns, r.path("metadata").path("namespace").asText(), r.toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/example"})
    void podsProbeTheRealHealthEndpointsAndExposeMetrics(String dir) {
        List<ObjectNode> all = render(dir);
        for (ObjectNode d : ofKind(all, "Deployment")) {
            JsonNode pod = d.path("spec").path("template");
            assertEquals(d.path("spec").path("selector").path("matchLabels"), matchingLabels(d.path("spec").path("selector").path("matchLabels"),
                    pod.path("metadata").path("labels")), d.path("metadata").path("name") + ": selector matches the pod labels");
            JsonNode c = single(pod.path("spec").path("containers"));
            ServiceSettings s = settings(c.path("name").asText());
            Map<String, String> env = environment(all, c);
            int port = Integer.parseInt(env.getOrDefault("KWSYNC_HTTP_PORT", s.defaultOf("quarkus.http.port")));
            JsonNode http = single(c.path("ports"));
            assertEquals("http", http.path("name").asText());
            assertEquals(port, http.path("containerPort").asInt(), "container port = the service's HTTP port");
            String health = s.properties().getProperty("quarkus.smallrye-health.root-path", "/q/health");
            probe(c, "livenessProbe", health + "/live");
            probe(c, "startupProbe", health + "/live");
            probe(c, "readinessProbe", health + "/ready");
            JsonNode annotations = pod.path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText());
            assertEquals(s.properties().getProperty("quarkus.micrometer.export.prometheus.path"), annotations.path("prometheus.io/path").asText());
            assertEquals(Integer.toString(port), annotations.path("prometheus.io/port").asText());
            assertFalse(c.path("image").asText().endsWith(":latest"), "images are pinned");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/example"})
    void podsAreHardened(String dir) {
        for (ObjectNode d : ofKind(render(dir), "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            JsonNode spec = d.path("spec").path("template").path("spec");
            JsonNode podSecurity = spec.path("securityContext");
            assertTrue(podSecurity.path("runAsNonRoot").asBoolean(), name);
            assertTrue(podSecurity.path("runAsUser").asInt() > 0, name);
            assertEquals("RuntimeDefault", podSecurity.path("seccompProfile").path("type").asText(), name);
            assertFalse(spec.path("automountServiceAccountToken").asBoolean(true), name + ": no API token in the pod");
            JsonNode c = single(spec.path("containers"));
            JsonNode sc = c.path("securityContext");
            assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), name);
            assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), name);
            assertFalse(sc.path("privileged").asBoolean(false), name);
            assertEquals("[\"ALL\"]", sc.path("capabilities").path("drop").toString(), name);
            String tmpVolume = mounts(c).get("/tmp");
            assertNotNull(tmpVolume, name + ": /tmp is mounted (the root filesystem is read-only)");
            assertTrue(volume(spec, tmpVolume).has("emptyDir"), name + ": /tmp is an emptyDir");
            for (String kind : List.of("requests", "limits")) {
                assertFalse(c.path("resources").path(kind).path("cpu").asText().isEmpty(), name + " " + kind + " cpu");
                assertFalse(c.path("resources").path(kind).path("memory").asText().isEmpty(), name + " " + kind + " memory");
            }
            // the JVM sizes its heap from the limit and does not hand memory back soon: a request below it overcommits
            assertEquals(c.path("resources").path("limits").path("memory"), c.path("resources").path("requests").path("memory"),
                    name + ": memory request = limit");
            assertTrue(spec.path("terminationGracePeriodSeconds").asInt() > 30, name + ": longer than quarkus.shutdown.timeout");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/example"})
    void everyKwsyncVariableIsOneTheServiceReads(String dir) {
        List<ObjectNode> all = render(dir);
        List<String> unknown = new ArrayList<>();
        for (ObjectNode d : ofKind(all, "Deployment")) {
            JsonNode c = single(d.path("spec").path("template").path("spec").path("containers"));
            ServiceSettings s = settings(c.path("name").asText());
            environment(all, c).keySet().stream().filter(v -> v.startsWith("KWSYNC_") && !s.reads(v))
                    .forEach(v -> unknown.add(s.module() + " does not read " + v));
        }
        assertEquals(List.of(), unknown);
        // and the check is not vacuous
        assertTrue(settings("ingest").reads("KWSYNC_SOURCE_TOPICS") && !settings("sink").reads("KWSYNC_SOURCE_TOPICS"));
        assertTrue(settings("sink").reads("KWSYNC_KAFKA_SASL_PASSWORD_FILE") && settings("ingest").reads("KWSYNC_API_TOKEN_FILE"));
        assertFalse(settings("ingest").reads("KWSYNC_KAFKA_SASL_PASSWORD_FIEL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/example"})
    void secretsComeFromMountedFilesOnly(String dir) {
        List<ObjectNode> all = render(dir);
        for (ObjectNode cm : ofKind(all, "ConfigMap")) {
            cm.path("data").fieldNames().forEachRemaining(k -> assertFalse(secretName(k), cm.path("metadata").path("name") + " holds " + k));
        }
        for (ObjectNode d : ofKind(all, "Deployment")) {
            JsonNode spec = d.path("spec").path("template").path("spec");
            JsonNode c = single(spec.path("containers"));
            for (JsonNode e : c.path("env")) {
                assertFalse(secretName(e.path("name").asText()) && e.has("value"), e.path("name") + " has a literal value");
            }
            Map<String, String> mounts = mounts(c);
            environment(all, c).forEach((name, value) -> {
                if (!name.matches("KWSYNC_.*(_FILE|_LOCATION|_KRB5_CONF|_KEYTAB)")) return;
                String mount = mounts.keySet().stream().filter(m -> value.startsWith(m + "/")).findFirst()
                        .orElseThrow(() -> new AssertionError(name + "=" + value + " is not under a mounted volume of " + c.path("name")));
                JsonNode volume = volume(spec, mounts.get(mount));
                assertTrue(volume.has("secret") || volume.has("configMap"), name + " points into volume " + mounts.get(mount));
            });
        }
    }

    @Test
    void theExampleSecretsCoverEveryMountedSecretWithPlaceholdersOnly() {
        List<ObjectNode> secrets = Repo.yaml(Repo.K8S.resolve("overlays/example/secrets.example.yaml"));
        Set<String> defined = secrets.stream().map(s -> s.path("metadata").path("name").asText()).collect(Collectors.toSet());
        Set<String> mounted = new TreeSet<>();
        for (ObjectNode d : ofKind(render("overlays/example"), "Deployment")) {
            d.path("spec").path("template").path("spec").path("volumes").forEach(v -> {
                if (v.has("secret")) mounted.add(v.path("secret").path("secretName").asText());
            });
        }
        assertEquals(defined, mounted);
        for (ObjectNode s : secrets) {
            assertFalse(s.has("data"), "placeholders go in stringData, readable as such");
            s.path("stringData").fields().forEachRemaining(f -> assertTrue(f.getValue().asText().contains("REPLACE-ME"),
                    s.path("metadata").path("name") + "/" + f.getKey() + " must be a placeholder"));
        }
        String kustomization = Repo.read(Kustomize.kustomization(Repo.K8S.resolve("overlays/example")));
        assertFalse(kustomization.contains("- secrets.example.yaml"), "the example Secrets are never applied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/example"})
    void servicesAutoscalersAndBudgetsPointAtTheDeployments(String dir) {
        List<ObjectNode> all = render(dir);
        Map<String, JsonNode> podLabels = new LinkedHashMap<>();
        ofKind(all, "Deployment").forEach(d -> podLabels.put(d.path("metadata").path("name").asText(),
                d.path("spec").path("template").path("metadata").path("labels")));
        for (ObjectNode s : ofKind(all, "Service")) {
            assertEquals(1, podLabels.values().stream().filter(l -> matches(s.path("spec").path("selector"), l)).count(), s.toString());
            assertEquals("http", single(s.path("spec").path("ports")).path("targetPort").asText());
        }
        for (ObjectNode p : ofKind(all, "PodDisruptionBudget")) {
            assertEquals(1, podLabels.values().stream().filter(l -> matches(p.path("spec").path("selector").path("matchLabels"), l)).count());
            assertTrue(p.path("spec").has("maxUnavailable"), "maxUnavailable lets a single replica be drained");
        }
        for (ObjectNode h : ofKind(all, "HorizontalPodAutoscaler")) {
            JsonNode target = h.path("spec").path("scaleTargetRef");
            assertEquals("Deployment", target.path("kind").asText());
            assertTrue(podLabels.containsKey(target.path("name").asText()), target.toString());
            int min = h.path("spec").path("minReplicas").asInt(), max = h.path("spec").path("maxReplicas").asInt();
            assertTrue(min >= 1 && min <= max, h.toString());
        }
        ObjectNode sinkHpa = Kustomize.find(all, "HorizontalPodAutoscaler", "kwsync-sink");
        Map<String, String> sinkEnv = environment(all, single(Kustomize.find(all, "Deployment", "kwsync-sink")
                .path("spec").path("template").path("spec").path("containers")));
        int partitions = Integer.parseInt(sinkEnv.getOrDefault("KWSYNC_ROWS_TOPIC_PARTITIONS", "6"));
        assertTrue(sinkHpa.path("spec").path("maxReplicas").asInt() <= partitions,
                "more sink pods than rows partitions would idle: maxReplicas <= KWSYNC_ROWS_TOPIC_PARTITIONS");
        ofKind(all, "Deployment").forEach(d -> assertFalse(d.path("spec").has("replicas"), "the autoscaler owns the replica count"));
    }

    // --- helpers ---

    static boolean secretName(String variable) {
        return variable.matches("KWSYNC_.*(PASSWORD|TOKEN|SECRET|JAAS_CONFIG)");
    }

    /** The container's variables: envFrom ConfigMaps first, then env entries (which win), as the kubelet does. */
    static Map<String, String> environment(List<ObjectNode> all, JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String cm = from.path("configMapRef").path("name").asText();
            if (cm.isEmpty()) fail("only configMapRef is used in envFrom: " + from);
            Kustomize.find(all, "ConfigMap", cm).path("data").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        }
        for (JsonNode e : container.path("env")) env.put(e.path("name").asText(), e.path("value").asText(""));
        return env;
    }

    static Map<String, String> mounts(JsonNode container) {
        Map<String, String> m = new LinkedHashMap<>();
        container.path("volumeMounts").forEach(v -> m.put(v.path("mountPath").asText(), v.path("name").asText()));
        return m;
    }

    static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) if (v.path("name").asText().equals(name)) return v;
        throw new AssertionError("no volume " + name);
    }

    static void probe(JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        assertEquals(path, get.path("path").asText(), container.path("name") + " " + probe);
        assertEquals("http", get.path("port").asText(), container.path("name") + " " + probe + " port");
    }

    static JsonNode single(JsonNode array) {
        assertEquals(1, array.size(), array.toString());
        return array.get(0);
    }

    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) return false;
        for (var it = selector.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getValue().equals(labels.path(f.getKey()))) return false;
        }
        return true;
    }

    static JsonNode matchingLabels(JsonNode selector, JsonNode labels) {
        return matches(selector, labels) ? selector : labels;
    }
}
