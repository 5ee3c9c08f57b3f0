package io.kwsync.runtime.api;

import io.kwsync.runtime.config.InvalidConfigurationException.Collector;
import io.kwsync.runtime.config.SecretFiles;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether an HTTP request may reach the API. Deny by default: every path needs the bearer token except
 * the health and metrics endpoints that probes and Prometheus call. Without a configured token every protected
 * call is refused (the API is never open by accident). Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, in time independent of where they differ.
 */
public final class ApiGuard {

    public static final int MIN_TOKEN_LENGTH = 16;
    static final String TOKEN = "kwsync.api.token";
    static final String TOKEN_FILE = "kwsync.api.token-file";
    private static final String CHALLENGE = "Bearer realm=\"kwsync\"";

    private final byte[] digest;

    private ApiGuard(byte[] digest) {
        this.digest = digest;
    }

    /** The guard for a token; a token file that cannot be read leaves the API closed (the start-up check reports it). */
    public static ApiGuard of(ApiConfig c) {
        Optional<String> token;
        try {
            token = SecretFiles.firstLine(c.token(), c.tokenFile(), TOKEN_FILE);
        } catch (RuntimeException e) {
            token = Optional.empty();
        }
        return new ApiGuard(token.filter(t -> !t.isEmpty()).map(ApiGuard::sha256).orElse(null));
    }

    public static void check(ApiConfig c, Collector problems) {
        if (c.tokenFile().isPresent()) {
            if (!SecretFiles.readable(c.tokenFile().get())) {
                problems.problem(TOKEN_FILE, "names a file that does not exist or cannot be read: " + c.tokenFile().get());
                return;
            }
            checkToken(SecretFiles.firstLine(Optional.empty(), c.tokenFile(), TOKEN_FILE).orElse(""), TOKEN_FILE, problems);
        } else {
            c.token().ifPresent(t -> checkToken(t, TOKEN, problems));
        }
    }

    private static void checkToken(String token, String property, Collector problems) {
        problems.check(token.length() >= MIN_TOKEN_LENGTH, property, "must hold a token of at least " + MIN_TOKEN_LENGTH
                + " characters (e.g. openssl rand -hex 32)");
        problems.check(token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f), property,
                "must hold a token of printable ASCII characters without spaces");
    }

    public boolean enabled() {
        return digest != null;
    }

    /** Health and metrics stay open for probes and scrapers; everything else, first of all /api/, is protected. */
    public static boolean isOpen(String normalizedPath) {
        String p = canonical(normalizedPath);
        if (p.contains("%") || p.contains("\\") || p.matches(".*(^|/)\\.{1,2}(/|$).*")) return false;
        return p.equals("/q/health") || p.startsWith("/q/health/") || p.equals("/q/metrics") || p.startsWith("/q/metrics/");
    }

    /** Empty when the request may go on, else the refusal to send. */
    public Optional<Refusal> refuse(String normalizedPath, String authorization) {
        if (isOpen(normalizedPath)) return Optional.empty();
        if (digest == null) {
            return Optional.of(new Refusal(403, null, "api_disabled", "the API is disabled because no token is configured:"
                    + " set KWSYNC_API_TOKEN or KWSYNC_API_TOKEN_FILE on the service"));
        }
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(new Refusal(401, CHALLENGE, "unauthorized", "missing bearer token: send 'Authorization: Bearer <token>'"));
        }
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
            return Optional.of(new Refusal(401, CHALLENGE + ", error=\"invalid_request\"", "unauthorized",
                    "the Authorization header must use the Bearer scheme"));
        }
        byte[] presented = sha256(authorization.substring(space + 1).trim());
        if (!MessageDigest.isEqual(digest, presented)) {
            return Optional.of(new Refusal(401, CHALLENGE + ", error=\"invalid_token\"", "unauthorized", "invalid bearer token"));
        }
        return Optional.empty();
    }

    /** Lower case, repeated slashes collapsed, matrix parameters dropped: the form a router could still match. */
    static String canonical(String path) {
        if (path == null || path.isEmpty()) return "/";
        String p = path.toLowerCase(Locale.ROOT).replaceAll(";[^/]*", "").replaceAll("/{2,}", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A refused request: HTTP status, WWW-Authenticate challenge (null for 403), an error code and a message that
     * never repeats the token.
     */
    public record Refusal(int status, String challenge, String error, String message) {
        /** {"error":"...","message":"..."}; the texts are fixed and contain no characters that need escaping. */
        public String json() {
            return "{\"error\":\"" + error + "\",\"message\":\"" + message.replace("\"", "'") + "\"}";
        }
    }
}
