package io.kwsync.sink.job;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The sink's part of window jobs; everything else about a job is ingest-service's configuration. */
@ConfigMapping(prefix = "kwsync.job")
public interface SinkJobConfig {

    /**
     * Compacted topic where the sink reports what it did with each job run (committed, failed, aborted); must be the
     * one ingest-service reads. Default: connect-status-NAME.
     */
    Optional<String> statusTopic();
}
