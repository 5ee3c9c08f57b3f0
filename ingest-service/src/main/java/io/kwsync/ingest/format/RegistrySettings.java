package io.kwsync.ingest.format;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach the schema registry: one or more base URLs (tried in order when one is unavailable), deadlines,
 * credentials and TLS. {@code authorization} is the whole Authorization header value ({@link #basic} or
 * {@link #bearer}), or null for none; it is never logged. {@code ssl} is null for the JVM's default trust.
 */
public record RegistrySettings(List<URI> urls, Duration connectTimeout, Duration requestTimeout, String authorization,
                               SSLContext ssl) {

    public RegistrySettings {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) throw new IllegalArgumentException("no schema registry URL");
        for (URI u : urls) {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("schema registry URL " + u + " is not http(s)");
            }
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** One URL, default deadlines (connect 5 s, request 10 s), no credentials. */
    public static RegistrySettings of(String url) {
        return new RegistrySettings(List.of(URI.create(url)), Duration.ofSeconds(5), Duration.ofSeconds(10), null, null);
    }

    public RegistrySettings withAuthorization(String header) {
        return new RegistrySettings(urls, connectTimeout, requestTimeout, header, ssl);
    }

    public RegistrySettings withTimeouts(Duration connect, Duration request) {
        return new RegistrySettings(urls, connect, request, authorization, ssl);
    }

    public RegistrySettings withSsl(SSLContext context) {
        return new RegistrySettings(urls, connectTimeout, requestTimeout, authorization, context);
    }

    /** The header value for HTTP basic authentication (the registry's USER_INFO credentials). */
    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        return "RegistrySettings[urls=" + urls + ", connectTimeout=" + connectTimeout + ", requestTimeout="
                + requestTimeout + ", authorization=" + (authorization == null ? "none" : "(set)") + "]";
    }
}
