package io.kwsync.ingest.job;

import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.model.job.JobStatusTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which replica fires the schedule and runs the job: the one Kafka's group coordinator assigns partition 0 of the
 * status topic to, in the consumer group {@code kwsync-job-leader-NAME}. The group protocol guarantees one owner at a
 * time and moves the partition when that replica stops or stops heartbeating, so there is no coordination of our own.
 * The consumer reads nothing (it sits at the end of the partition); it exists to hold the assignment. Its assignor is
 * cooperative and sticky, so leadership moves only when its holder goes: with the eager protocol every rebalance (a
 * replica starting, or a dead one's session expiring) would revoke partition 0 and give it back, a new term that cuts
 * the running job short. Replicas of an earlier version (Kafka's default assignors) still join the group: the
 * cooperative sticky assignor is in both lists.
 *
 * <p>{@link #term()} changes whenever leadership is gained, so work started in an earlier term can tell it is stale.
 */
final class Leadership implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final String group;
    private final AtomicLong term = new AtomicLong();
    private final AtomicLong rebalances = new AtomicLong();
    private volatile boolean leader;
    private volatile boolean running = true;
    private Thread thread;

    Leadership(KafkaClients clients, String topic, String connector, Duration sessionTimeout) {
        this.topic = topic;
        this.group = "kwsync-job-leader-" + connector;
        this.consumer = clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, group,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 4),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                // sticky and cooperative: a replica joining or leaving does not take partition 0 from its owner even
                // for the length of a rebalance, so a run in progress is not cut short by another pod's restart
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
    }

    void start() {
        thread = new Thread(this::loop, "kwsync-job-leadership");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (owns(partitions)) lose("revoked");
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    if (owns(partitions)) lose("lost");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    rebalances.incrementAndGet(); // called after each rebalance, with what it added (maybe nothing)
                    if (owns(partitions)) {
                        consumer.seekToEnd(partitions);
                        term.incrementAndGet();
                        leader = true;
                        LOG.infof("this replica leads job %s (group %s)", topic, group);
                    }
                }
            });
            while (running) consumer.poll(Duration.ofMillis(500));
        } catch (WakeupException e) {
            if (running) LOG.error("leadership consumer woken unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error("leadership consumer of " + group + " stopped; this replica will not lead", e);
        } finally {
            leader = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static boolean owns(Collection<TopicPartition> partitions) {
        return partitions.stream().anyMatch(p -> p.partition() == JobStatusTopic.PARTITION);
    }

    private void lose(String how) {
        if (leader) LOG.infof("leadership of job %s %s", topic, how);
        leader = false;
    }

    boolean isLeader() {
        return leader;
    }

    /** Grows with each gain of leadership. */
    long term() {
        return term.get();
    }

    /** How many rebalances this replica took part in: above 0 once it is a member of the group. */
    long rebalances() {
        return rebalances.get();
    }

    boolean alive() {
        return thread != null && thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        leader = false;
        consumer.wakeup();
    }
}
