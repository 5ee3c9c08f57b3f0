package io.kwsync.emulator.maxcompute;

/** The tunnel session kinds the counters tell apart. */
enum SessionKind {
    UPLOAD, UPSERT, STREAM
}
