package io.kwsync.bench;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's records: record i is a JSON object of the {@link Shape} chosen (about 200 bytes, or 50 fields of
 * about 2 KB; or the same fields as Avro, {@link AvroValues}) whose content depends only on the seed and i, sent to partition i % partitions with key "k" + i. Column
 * {@code produced_ms} carries the moment it was sent.
 */
final class Workload {

    static final String[] STATUS = {"created", "paid", "shipped", "delivered", "returned"};
    static final String[] CITY = {"Hangzhou", "Shanghai", "Beijing", "Shenzhen", "Chengdu", "Wuhan"};

    private final long seed;
    private final int partitions;
    private final Shape shape;
    private final List<String> columns;
    /** Set for {@code --format=avro}: values are Avro in the registry's framing instead of JSON. */
    private final AvroValues avro;

    Workload(long seed, int partitions, Shape shape) {
        this(seed, partitions, shape, false);
    }

    Workload(long seed, int partitions, Shape shape, boolean avro) {
        this.seed = seed;
        this.partitions = partitions;
        this.shape = shape;
        this.columns = shape.columns();
        this.avro = avro ? AvroValues.register(shape, fields(0, 0)) : null;
    }

    boolean avro() {
        return avro != null;
    }

    Shape shape() {
        return shape;
    }

    /** The columns of the bulk loads, comma-separated. */
    String columnList() {
        return String.join(", ", columns);
    }

    /**
     * The fields of record i, in the order of {@link Shape#columns()}; narrow: id, produced_ms, customer, amount,
     * status, city, note.
     */
    Object[] fields(long i, long producedMs) {
        long h = mix(seed ^ (i * 0x9E3779B97F4A7C15L));
        if (shape == Shape.WIDE) return Shape.wide(i, producedMs, h);
        char[] note = new char[72];
        long x = h;
        for (int c = 0; c < note.length; c++) {
            x = mix(x + c);
            note[c] = (char) ('a' + (int) Long.remainderUnsigned(x, 26));
        }
        return new Object[]{i, producedMs, String.format("customer-%08d", Long.remainderUnsigned(h, 100_000_000L)),
                Long.remainderUnsigned(h >>> 8, 100_000) + "." + String.format("%02d", Long.remainderUnsigned(h >>> 40, 100)),
                STATUS[(int) Long.remainderUnsigned(h >>> 20, STATUS.length)],
                CITY[(int) Long.remainderUnsigned(h >>> 30, CITY.length)], new String(note)};
    }

    /** Integers as JSON numbers, everything else as JSON strings (no value needs an escape). */
    byte[] json(long i, long producedMs) {
        Object[] f = fields(i, producedMs);
        StringBuilder sb = new StringBuilder(shape == Shape.WIDE ? 2300 : 220).append('{');
        for (int c = 0; c < f.length; c++) {
            sb.append(c == 0 ? "\"" : ",\"").append(columns.get(c)).append("\":");
            if (f[c] instanceof Long) sb.append(f[c]);
            else sb.append('"').append(f[c] instanceof Shape.Stamp s ? s.json() : f[c]).append('"');
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The same row as CSV for the bulk loads (no field contains a comma or a quote). */
    String csv(long i, long producedMs) {
        Object[] f = fields(i, producedMs);
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < f.length; c++) sb.append(c == 0 ? "" : ",").append(f[c]);
        return sb.append('\n').toString();
    }

    ProducerRecord<byte[], byte[]> record(String topic, long i, long producedMs) {
        // the record timestamp is the send time (the producer sets it), so retention never removes the records
        return new ProducerRecord<>(topic, (int) (i % partitions), null,
                ("k" + i).getBytes(StandardCharsets.UTF_8), avro == null ? json(i, producedMs) : avro.encode(fields(i, producedMs)));
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Records 0..n-1 with produced_ms = base + i / 100 (the bulk loads' CSV holds the same rows), built before the
     * clock starts so that the benchmark's own JSON building does not compete with the services for the CPU.
     */
    List<ProducerRecord<byte[], byte[]>> prebuilt(String topic, long n, long base) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) records.add(record(topic, i, base + i / 100));
        return records;
    }

    /** Sends the records as fast as the producer takes them; returns System.nanoTime() of the first send. */
    static long produceAll(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long first;
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            first = System.nanoTime();
            for (ProducerRecord<byte[], byte[]> r : records) {
                p.send(r, (m, e) -> {
                    if (e != null) failed.compareAndSet(null, e);
                });
            }
            p.flush();
        }
        if (failed.get() != null) throw new IllegalStateException("producing failed", failed.get());
        return first;
    }

    /** Sends rate records per second for seconds, paced every millisecond against the start time. */
    void produceAtRate(String bootstrap, String topic, int rate, int seconds) {
        produceAtRate(bootstrap, topic, rate, seconds, null);
    }

    /** The same, every record with the given timestamp (null: the send time). */
    void produceAtRate(String bootstrap, String topic, int rate, int seconds, Long timestamp) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long total = (long) rate * seconds;
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            long start = System.nanoTime();
            long sent = 0;
            while (sent < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
                for (; sent < due; sent++) {
                    ProducerRecord<byte[], byte[]> r = record(topic, sent, System.currentTimeMillis());
                    if (timestamp != null) r = new ProducerRecord<>(topic, r.partition(), timestamp, r.key(), r.value());
                    p.send(r, (m, e) -> {
                        if (e != null) failed.compareAndSet(null, e);
                    });
                }
                LockSupport.parkNanos(1_000_000L);
            }
            p.flush();
        }
        if (failed.get() != null) throw new IllegalStateException("producing failed", failed.get());
    }

    private static long mix(long z) {
        return Shape.mix(z);
    }
}
