package io.kwsync.model.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The job status topic (default {@code connect-status-NAME}, compacted): the shared, durable record of a job
 * connector. Every record goes to partition {@value #PARTITION} so readers see one order, and is JSON so an operator
 * can read it with a console consumer. Keys say what a record is about; compaction keeps the latest per key:
 * <ul>
 *   <li>{@code run/<id>}: a run as ingest-service sees it (written by ingest);</li>
 *   <li>{@code load/<id>}: what the sink did with it ({@link LoadResult}, written by sink-service);</li>
 *   <li>{@code schedule}: the last schedule slot fired (written by ingest).</li>
 * </ul>
 */
public final class JobStatusTopic {

    public static final int PARTITION = 0;
    public static final String RUN_PREFIX = "run/";
    public static final String LOAD_PREFIX = "load/";
    public static final String SCHEDULE_KEY = "schedule";

    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JobStatusTopic() {
    }

    public static String defaultName(String connector) {
        return "connect-status-" + connector;
    }

    public static String runKey(String runId) {
        return RUN_PREFIX + runId;
    }

    public static String loadKey(String runId) {
        return LOAD_PREFIX + runId;
    }

    public static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T fromJson(byte[] json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
