package io.kwsync.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What this ingest-service deployment does. */
@ConfigMapping(prefix = "kwsync.ingest")
public interface IngestMode {

    /**
     * stream: read the source topics continuously (the streaming connector). job: run the window job defined by the
     * KWSYNC_JOB_* variables, on schedule and on demand over HTTP; the streaming channel is off. writer: run the Kafka
     * Writer job defined by the KWSYNC_WRITER_* variables (rows of a table into a topic), scheduled and run like a
     * window job (KWSYNC_JOB_PARAMETERS, _SCHEDULE*, _RERUN*, _TIMEOUT); the streaming channel is off.
     */
    @WithDefault("stream")
    Mode mode();

    enum Mode {
        STREAM, JOB, WRITER
    }
}
