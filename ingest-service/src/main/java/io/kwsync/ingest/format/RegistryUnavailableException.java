package io.kwsync.ingest.format;

/**
 * The schema registry could not answer: refused or reset connections, a deadline passed, a 5xx answer, or a
 * 401/403 (credentials the registry does not accept). Retriable: the record is fine and must wait until the registry
 * answers; it must not go to the error topic. Readiness should report it.
 */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message) {
        super(message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
