package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches schemas from a schema registry that speaks the Confluent REST API ({@code GET /schemas/ids/{id}},
 * {@code GET /subjects/{subject}/versions/{version}}), and keeps them: a schema id never changes its schema, so each
 * is fetched once per process.
 *
 * <p>Every call has deadlines: connecting ({@link RegistrySettings#connectTimeout()}) and the whole exchange, body
 * included ({@link RegistrySettings#requestTimeout()}). Outcomes: a schema; {@link DirtyRecordException} (stage
 * DECODE) when the registry answers that the id (or a referenced subject version) does not exist, since the record
 * then names a schema nobody can read it with; {@link RegistryUnavailableException} when no URL answers usefully
 * (connection refused, deadline passed, 5xx, 401/403, an answer that is not a schema), so the record waits.
 * Thread-safe; a cache miss blocks the calling thread for at most the deadlines times the number of URLs.
 */
public final class SchemaRegistryClient {

    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/json";

    private final RegistrySettings settings;
    private final HttpClient http;
    private final Map<Integer, RegisteredSchema> byId = new ConcurrentHashMap<>();
    private final Map<RegisteredSchema.Reference, RegisteredSchema> byReference = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (settings.ssl() != null) b.sslContext(settings.ssl());
        this.http = b.build();
    }

    /** The schema with this id. */
    public RegisteredSchema byId(int id) {
        RegisteredSchema s = byId.get(id);
        if (s != null) return s;
        Map<String, Object> answer = get("/schemas/ids/" + id, "schema id " + id);
        s = schema(id, answer, "schema id " + id);
        byId.putIfAbsent(id, s);
        return s;
    }

    /** A schema another one references. */
    public RegisteredSchema referenced(RegisteredSchema.Reference r) {
        RegisteredSchema s = byReference.get(r);
        if (s != null) return s;
        String what = "subject " + r.subject() + " version " + r.version() + " (referenced as " + r.name() + ")";
        Map<String, Object> answer = get("/subjects/" + URLEncoder.encode(r.subject(), StandardCharsets.UTF_8)
                .replace("+", "%20") + "/versions/" + r.version(), what);
        Object id = answer.get("id");
        s = schema(id instanceof Long l ? l.intValue() : -1, answer, what);
        byReference.putIfAbsent(r, s);
        return s;
    }

    private static RegisteredSchema schema(int id, Map<String, Object> answer, String what) {
        if (!(answer.get("schema") instanceof String text)) {
            throw new RegistryUnavailableException("the schema registry's answer for " + what + " has no schema text");
        }
        Object type = answer.get("schemaType");
        List<RegisteredSchema.Reference> refs = new ArrayList<>();
        if (answer.get("references") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("name") instanceof String name && m.get("subject") instanceof String subject
                        && m.get("version") instanceof Long version) {
                    refs.add(new RegisteredSchema.Reference(name, subject, version.intValue()));
                } else {
                    throw new RegistryUnavailableException("the schema registry's answer for " + what + " has a malformed reference");
                }
            }
        }
        return new RegisteredSchema(id, type == null ? "AVRO" : type.toString(), text, refs);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(String path, String what) {
        List<String> failures = new ArrayList<>();
        Throwable cause = null;
        for (URI base : settings.urls()) {
            URI uri = URI.create(stripSlash(base.toString()) + path);
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).GET().header("Accept", ACCEPT)
                    .timeout(settings.requestTimeout());
            if (settings.authorization() != null) rb.header("Authorization", settings.authorization());
            HttpResponse<byte[]> response;
            CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            try {
                // the request timeout covers the wait for headers; this deadline covers the body too
                response = call.get(settings.requestTimeout().toMillis() + settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                failures.add(base + ": no answer within the deadline");
                cause = e;
                continue;
            } catch (ExecutionException e) {
                failures.add(base + ": " + describe(e.getCause()));
                cause = e.getCause();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while fetching " + what + " from the schema registry", e);
            }
            int status = response.statusCode();
            if (status == 200) {
                Object body;
                try {
                    body = JsonTrees.parse(response.body(), "schema registry answer");
                } catch (DirtyRecordException e) {
                    throw new RegistryUnavailableException("the schema registry at " + base + " answered " + what
                            + " with something that is not JSON: " + e.getMessage(), e);
                }
                if (body instanceof Map<?, ?> m) return (Map<String, Object>) m;
                throw new RegistryUnavailableException("the schema registry at " + base + " answered " + what + " with no JSON object");
            }
            if (status == 404) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is not in the schema registry ("
                        + base + " answered 404" + errorMessage(response.body()) + ")");
            }
            failures.add(base + ": HTTP " + status + (status == 401 || status == 403 ? " (credentials refused)" : "")
                    + errorMessage(response.body()));
        }
        throw new RegistryUnavailableException("cannot fetch " + what + " from the schema registry: " + String.join("; ", failures), cause);
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }

    private static String errorMessage(byte[] body) {
        try {
            if (JsonTrees.parse(body, "answer") instanceof Map<?, ?> m && m.get("message") instanceof String s) {
                return ": " + (s.length() > 200 ? s.substring(0, 200) : s);
            }
        } catch (RuntimeException ignored) {
            // not a registry error object: the status says enough
        }
        return "";
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
