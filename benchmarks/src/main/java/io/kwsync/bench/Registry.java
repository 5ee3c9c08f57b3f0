package io.kwsync.bench;

import io.kwsync.ingest.format.Trees;
import io.kwsync.testing.RegistryFraming;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The local schema registry of dev/up.sh, as the benchmarks use it: registering a schema and framing a payload. */
final class Registry {

    private Registry() {
    }

    /** The registry's URL: KWSYNC_DEV_REGISTRY_URL (set by dev/env.sh), or the default port on this machine. */
    static String url() {
        return System.getenv().getOrDefault("KWSYNC_DEV_REGISTRY_URL", "http://127.0.0.1:8081");
    }

    /** Registers {@code schema} (type AVRO or PROTOBUF) under {@code subject}; returns its id. */
    static int register(String url, String subject, String type, String schema) throws Exception {
        String body = "{\"schemaType\":" + Trees.json(type) + ",\"schema\":" + Trees.json(schema) + "}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("cannot register " + subject + " at " + url + ": " + r.body());
        String digits = r.body().replaceAll("[^0-9]", "");
        return Integer.parseInt(digits);
    }

    /** The registry's wire framing, with the message index [0] (the first message type) for Protobuf. */
    static byte[] frame(int id, byte[] payload, boolean protobuf) {
        return protobuf ? RegistryFraming.frame(id, payload, 0) : RegistryFraming.frame(id, payload);
    }
}
