package io.kwsync.sink.health;

/**
 * A destination's part of readiness: which destination the sink writes to, for the health report, and a cheap probe
 * of whether it can be reached now. Each destination contributes one (see {@code Destinations}).
 */
public interface DestinationHealth {

    /** Names the destination without any credential, e.g. the JDBC URL (checked at start to carry no password). */
    String description();

    /** Whether the destination answers now; must return within a few seconds. */
    boolean reachable();

    /**
     * What keeps the destination from working, for an operator (e.g. credentials that cannot be renewed), naming the
     * variable and never a secret; null when nothing is known to be wrong. Read after {@link #reachable}.
     */
    default String problem() {
        return null;
    }
}
