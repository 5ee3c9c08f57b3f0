package io.kwsync.emulator.maxcompute;

/** The tunnel requests a fault can be armed on (see {@link MaxComputeEmulator#failNext}). */
public enum TunnelCall {
    /** {@code PUT} of a block into an upload session. */
    BLOCK_UPLOAD,
    /** {@code POST} committing an upload session. */
    UPLOAD_COMMIT,
    /** {@code PUT} of a bucket's records into an upsert session (an upsert stream's flush). */
    UPSERT_FLUSH,
    /** {@code POST} committing an upsert session. */
    UPSERT_COMMIT,
    /** {@code PUT} of a record pack into a streaming-tunnel session (a stream pack's flush). */
    STREAM_FLUSH
}
