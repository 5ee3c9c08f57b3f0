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
    private volatile MessageLimits limits;

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

    /**
     * The largest record the rows and the error topic take (their max.message.bytes), read once, after provisioning.
     * A change on the broker takes effect at the service's next start.
     */
    public MessageLimits messageLimits() {
        if (limits == null) {
            synchronized (this) {
                if (limits == null) {
                    rowsPartitions();
                    Map<String, Integer> m = Topics.messageLimits(kafkaConfig, java.util.List.of(rowsTopic, errorTopic));
                    limits = new MessageLimits(m.get(rowsTopic), m.get(errorTopic));
                }
            }
        }
        return limits;
    }

    /** max.message.bytes of the rows and error topics. */
    public record MessageLimits(int rows, int errors) {
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
