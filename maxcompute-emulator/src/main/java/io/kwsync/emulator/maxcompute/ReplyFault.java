package io.kwsync.emulator.maxcompute;

/**
 * How an accepted request goes unanswered. In both cases the server has read the request and applied it (a block is
 * stored, records are buffered, a commit takes effect), as a service that received a request does when its answer is
 * lost.
 */
public enum ReplyFault {
    /** The connection is closed without a status line: the client sees the connection end. */
    CLOSE,
    /**
     * The connection stays open and silent until {@link MaxComputeEmulator#releaseHeldReplies} (or the emulator closes,
     * or ten minutes pass), then closes: only a client deadline ends the wait.
     */
    HANG
}
