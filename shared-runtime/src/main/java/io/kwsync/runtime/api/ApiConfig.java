package io.kwsync.runtime.api;

import java.util.Optional;

/**
 * The bearer token that protects a service's HTTP API (everything but health and metrics). Keys
 * {@code kwsync.api.token} and {@code kwsync.api.token-file}, i.e. KWSYNC_API_TOKEN and KWSYNC_API_TOKEN_FILE.
 * A plain interface the services' {@code @ConfigMapping} groups return; {@link ApiGuard} applies it.
 */
public interface ApiConfig {

    /** The token clients send as "Authorization: Bearer TOKEN" (at least 16 characters). No token: the API refuses every call. */
    Optional<String> token();

    /** File holding the token (first line), e.g. a mounted Secret; wins over KWSYNC_API_TOKEN. */
    Optional<String> tokenFile();
}
