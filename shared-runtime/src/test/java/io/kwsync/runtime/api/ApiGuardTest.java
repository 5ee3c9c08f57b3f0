package io.kwsync.runtime.api;

import io.kwsync.runtime.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiGuardTest {

    static final String TOKEN = "0123456789abcdef-token";

    record Config(Optional<String> token, Optional<String> tokenFile) implements ApiConfig {
        static Config token(String t) {
            return new Config(Optional.ofNullable(t), Optional.empty());
        }
    }

    static int status(ApiGuard guard, String path, String authorization) {
        return guard.refuse(path, authorization).map(ApiGuard.Refusal::status).orElse(200);
    }

    @Test
    void healthAndMetricsAreOpenEverythingElseIsProtected() {
        for (String open : List.of("/q/health", "/q/health/", "/q/health/live", "/q/health/ready", "/q/health/started",
                "/q/metrics", "/q/metrics/", "//q//health/live")) {
            assertTrue(ApiGuard.isOpen(open), open);
        }
        for (String path : List.of("/api/test-messages", "/api", "//api/test-messages", "/API/test-messages",
                "/api;x=1/test-messages", "/", "/q/healthz", "/q/health/../../api/test-messages", "/q/health/%2e%2e/api",
                "/q/metrics/./../../api", "/q/dev", "/anything")) {
            assertFalse(ApiGuard.isOpen(path), path);
        }
    }

    @Test
    void theRightBearerTokenPassesAnythingElseIs401() {
        ApiGuard guard = ApiGuard.of(Config.token(TOKEN));
        assertTrue(guard.enabled());
        assertEquals(200, status(guard, "/api/test-messages", "Bearer " + TOKEN));
        assertEquals(200, status(guard, "/api/test-messages", "bearer   " + TOKEN + " "));
        assertEquals(401, status(guard, "/api/test-messages", null));
        assertEquals(401, status(guard, "/api/test-messages", "Bearer " + TOKEN + "x"));
        assertEquals(401, status(guard, "/api/test-messages", "Bearer " + TOKEN.substring(1)));
        assertEquals(401, status(guard, "/api/test-messages", "Basic " + TOKEN));
        assertEquals(401, status(guard, "/api/test-messages", TOKEN));
        assertEquals(200, status(guard, "/q/health/ready", null));
        ApiGuard.Refusal wrong = guard.refuse("/api/x", "Bearer nope").orElseThrow();
        assertEquals("Bearer realm=\"kwsync\", error=\"invalid_token\"", wrong.challenge());
        assertEquals("{\"error\":\"unauthorized\",\"message\":\"invalid bearer token\"}", wrong.json());
        assertEquals("Bearer realm=\"kwsync\"", guard.refuse("/api/x", null).orElseThrow().challenge());
    }

    @Test
    void withoutATokenEveryProtectedCallIsRefused() {
        ApiGuard guard = ApiGuard.of(Config.token(null));
        assertFalse(guard.enabled());
        ApiGuard.Refusal r = guard.refuse("/api/test-messages", "Bearer anything-at-all-here").orElseThrow();
        assertEquals(403, r.status());
        assertTrue(r.message().contains("set KWSYNC_API_TOKEN or KWSYNC_API_TOKEN_FILE"), r.message());
        assertEquals(200, status(guard, "/q/metrics", null));
        assertFalse(ApiGuard.of(new Config(Optional.of(TOKEN), Optional.of("/nonexistent/token"))).enabled(),
                "an unreadable file never falls back to a weaker source");
    }

    @Test
    void theTokenFileWinsAndIsChecked(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        ApiGuard guard = ApiGuard.of(new Config(Optional.of("another-token-of-some-length"), Optional.of(file.toString())));
        assertEquals(200, status(guard, "/api/x", "Bearer " + TOKEN));
        assertEquals(List.of(), problems(new Config(Optional.empty(), Optional.of(file.toString()))));
        assertEquals(List.of(), problems(Config.token(null)), "no token is allowed: the API stays closed");
        assertEquals(List.of("KWSYNC_API_TOKEN (kwsync.api.token) must hold a token of at least 16 characters (e.g. openssl rand -hex 32)"),
                problems(Config.token("short")));
        assertEquals(List.of("KWSYNC_API_TOKEN (kwsync.api.token) must hold a token of printable ASCII characters without spaces"),
                problems(Config.token("a token with spaces in it")));
        assertEquals(List.of("KWSYNC_API_TOKEN_FILE (kwsync.api.token-file) names a file that does not exist or cannot be read: /nonexistent/t"),
                problems(new Config(Optional.empty(), Optional.of("/nonexistent/t"))));
    }

    static List<String> problems(ApiConfig c) {
        var collector = new InvalidConfigurationException.Collector();
        ApiGuard.check(c, collector);
        try {
            collector.throwIfAny();
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.problems();
        }
    }
}
