package io.kwsync.sink.job;

import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.runtime.kafka.Topics;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.config.SinkConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes load results to the job status topic and waits for the broker's acknowledgement. Created on first use, so
 * a streaming connector never creates a status topic.
 */
@ApplicationScoped
public class JobStatusPublisher {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, Object> kafkaConfig;
    private final String topic;
    private final boolean createTopics;
    private KafkaProducer<byte[], byte[]> producer;

    public JobStatusPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, SinkConfig config,
                              SinkJobConfig jobConfig) {
        this.kafkaConfig = kafkaConfig;
        this.topic = jobConfig.statusTopic().orElse(JobStatusTopic.defaultName(config.connector().name().orElseThrow()));
        this.createTopics = config.kafka().createTopics();
    }

    public String topic() {
        return topic;
    }

    public synchronized void publish(LoadResult result) throws SinkException {
        try {
            producer().send(new ProducerRecord<>(topic, JobStatusTopic.PARTITION, JobStatusTopic.key(JobStatusTopic.loadKey(result.runId())),
                    JobStatusTopic.toJson(result))).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new SinkException("cannot publish the result of job run " + result.runId() + " to " + topic + ": " + cause, true, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while publishing a job result", true, e);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Topics.ensure(kafkaConfig, Map.of(topic, 1), Map.of("cleanup.policy", "compact"), createTopics);
            Map<String, Object> props = new HashMap<>();
            kafkaConfig.forEach((k, v) -> {
                if (ProducerConfig.configNames().contains(k)) props.put(k, v);
            });
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "kwsync-sink-job-status");
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }
}
