package io.kwsync.sink.maxcompute;

/**
 * The tunnel will never commit a session: it expired, was given up, or the service no longer knows it. Whatever it
 * held must be written again, from the rows topic.
 */
final class SessionLost extends Exception {

    private final String session;

    SessionLost(String session, String message, Throwable cause) {
        super(message, cause);
        this.session = session;
    }

    /** The id of the session. */
    String session() {
        return session;
    }
}
