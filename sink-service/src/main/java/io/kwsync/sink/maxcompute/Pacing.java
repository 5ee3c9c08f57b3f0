package io.kwsync.sink.maxcompute;

import java.time.Duration;
import java.time.Instant;

/**
 * When an open tunnel session of a partition is committed: once it is {@code interval} old
 * (KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL) or its blocks reach {@code bytes} as uploaded (KWSYNC_MAXCOMPUTE_COMMIT_BYTES),
 * and in any case before the tunnel's own limits: {@code maxBlocks} blocks per upload session and sessions that live
 * {@code lifetime}. MaxCompute's Tunnel guidance: blocks of 64 MB or more, at least 5 minutes between session
 * creations for a partition, at most 20,000 blocks per session, sessions that live 24 hours.
 */
record Pacing(Duration interval, long bytes, int maxBlocks, Duration lifetime) {

    static final Duration MAX_INTERVAL = Duration.ofHours(1);
    static final long MAX_BYTES = 100L * 1024 * 1024 * 1024;
    static final int MAX_BLOCKS = 20_000;
    static final Duration SESSION_LIFETIME = Duration.ofHours(24);
    /** Margin before the session lifetime: a session is never used closer to its end than this. */
    static final Duration LIFETIME_MARGIN = Duration.ofHours(1);

    /** Whether a session opened at {@code opened}, holding {@code heldBytes} in {@code blocks} blocks, is to be committed. */
    boolean due(Instant opened, Instant now, long heldBytes, int blocks) {
        return !now.isBefore(opened.plus(interval)) || heldBytes >= bytes || blocks >= maxBlocks || nearEnd(opened, now);
    }

    /** Whether a session opened at {@code opened} is too close to the end of its life to take more. */
    boolean nearEnd(Instant opened, Instant now) {
        return !now.isBefore(opened.plus(lifetime).minus(LIFETIME_MARGIN));
    }
}
