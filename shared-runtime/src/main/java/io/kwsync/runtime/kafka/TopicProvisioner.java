package io.kwsync.runtime.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes sure a service's internal topics (rows and error) exist, whichever service starts first, and learns the rows
 * topic's partition count, which fixes the routing of source partitions to rows partitions. Each service produces one
 * from its configuration; {@link TopicProvisioning} runs it before anything consumes or produces.
 */
public final class TopicProvisioner {

    public static final int ERROR_TOPIC_PARTITIONS = 6;

    private final Map<String, Object> kafkaConfig;
    private final boolean create;
    private final String rowsTopic;
    private final int rowsTopicPartitions;
    private final String errorTopic;
    private volatile int rowsPartitions = -1;

    /**
     * @param kafkaConfig         the service's Kafka client settings
     * @param create              create missing topics (KWSYNC_KAFKA_CREATE_TOPICS); otherwise a missing one is an error
     * @param rowsTopicPartitions partitions of the rows topic when it is created here
     */
    public TopicProvisioner(Map<String, Object> kafkaConfig, boolean create, String rowsTopic, int rowsTopicPartitions,
                            String errorTopic) {
        this.kafkaConfig = kafkaConfig;
        this.create = create;
        this.rowsTopic = rowsTopic;
        this.rowsTopicPartitions = rowsTopicPartitions;
        this.errorTopic = errorTopic;
    }

    /** Provisions the topics on first use; the rows topic's actual partition count. */
    public synchronized int rowsPartitions() {
        if (rowsPartitions < 0) {
            Map<String, Integer> wanted = new LinkedHashMap<>();
            wanted.put(rowsTopic, rowsTopicPartitions);
            wanted.put(errorTopic, ERROR_TOPIC_PARTITIONS);
            rowsPartitions = Topics.ensure(kafkaConfig, wanted, create).get(rowsTopic);
        }
        return rowsPartitions;
    }
}
