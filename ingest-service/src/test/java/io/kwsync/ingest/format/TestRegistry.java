package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.testing.RegistryFraming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test access to the real local schema registry that dev/up.sh starts (KWSYNC_TEST_REGISTRY_URL overrides the
 * address), registration as the serializers do it (POST /subjects/{subject}/versions), the Confluent framing the
 * serializers write, and private registry processes with credentials or TLS, launched from dev/registry.
 */
public final class TestRegistry {

    private TestRegistry() {
    }

    public static String url() {
        String port = System.getenv().getOrDefault("KWSYNC_DEV_REGISTRY_PORT", "8081");
        return System.getenv().getOrDefault("KWSYNC_TEST_REGISTRY_URL", "http://127.0.0.1:" + port);
    }

    /** Registers a schema under a subject and returns its id, as a serializer with auto-registration does. */
    public static int register(String url, String subject, String type, String schema) {
        return register(url, subject, type, schema, "[]");
    }

    /** @param references the JSON array of {"name", "subject", "version"} references */
    static int register(String url, String subject, String type, String schema, String references) {
        String body = "{\"schemaType\":" + json(type) + ",\"schema\":" + json(schema) + ",\"references\":" + references + "}";
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("register " + subject + ": HTTP " + r.statusCode() + " " + r.body());
            Object answer = JsonTrees.parse(r.body().getBytes(StandardCharsets.UTF_8), "answer");
            return ((Long) ((Map<?, ?>) answer).get("id")).intValue();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot register at " + url, e);
        }
    }

    static int register(String subject, String type, String schema) {
        return register(url(), subject, type, schema);
    }

    /** The Confluent framing ({@link RegistryFraming#frame}). */
    public static byte[] frame(int id, byte[] payload, int... messageIndexes) {
        return RegistryFraming.frame(id, payload, messageIndexes);
    }

    static String json(String s) {
        return Trees.json(s);
    }

    static SchemaRegistryClient client() {
        return new SchemaRegistryClient(RegistrySettings.of(url()));
    }

    /** A registry process of its own (credentials, TLS); closing it kills the process. */
    public record Private(Process process, String url) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static Private start(String... options) throws IOException {
        Path source = repo().resolve("dev/registry/LocalSchemaRegistry.java");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", source.toString(), "--port", "0"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = first.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the private registry did not start within 60 s", e);
        }
        if (line == null || !line.startsWith("listening on ")) {
            p.destroyForcibly();
            throw new IllegalStateException("the private registry did not start: " + line);
        }
        return new Private(p, line.substring("listening on ".length()));
    }

    private static Path repo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("dev/registry/LocalSchemaRegistry.java"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("dev/registry not found above " + Path.of("").toAbsolutePath());
        return dir;
    }

    static DirtyRecordException dirty(Runnable r) {
        try {
            r.run();
        } catch (DirtyRecordException e) {
            return e;
        }
        throw new AssertionError("expected a dirty record");
    }
}
