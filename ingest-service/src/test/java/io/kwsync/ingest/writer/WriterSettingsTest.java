package io.kwsync.ingest.writer;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.ingest.config.IngestMode;
import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.config.JobConfig;
import io.kwsync.ingest.config.RawSettings;
import io.kwsync.ingest.config.WriterConfig;
import io.kwsync.ingest.config.WriterDefinition;
import io.kwsync.ingest.config.WriterSource;
import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.ingest.outbound.WriteMode;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.tables.SourceRead;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka Writer's settings as an operator writes them, through the real configuration machinery. */
class WriterSettingsTest {

    static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put("kwsync.connector.name", "orders-out");
        p.put("kwsync.rows.topic", "kwsync-rows-orders-out");
        p.put("kwsync.error.topic", "connect-error-orders-out");
        p.put("kwsync.ingest.mode", "writer");
        p.put("kwsync.writer.topic", "orders");
        p.put("kwsync.writer.source.jdbc-url", "jdbc:mysql://127.0.0.1:3306/shop");
        p.put("kwsync.writer.source.table", "orders");
        return p;
    }

    static Map<String, String> with(String... pairs) {
        Map<String, String> p = minimal();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) p.remove(pairs[i]);
            else p.put(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    static WriterDefinition read(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(JobConfig.class).withMapping(IngestConfig.class)
                .withMapping(IngestMode.class).withMapping(WriterConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(properties).build();
        return IngestSettings.read(config.getConfigMapping(IngestConfig.class), config.getConfigMapping(IngestMode.class),
                config.getConfigMapping(JobConfig.class), config.getConfigMapping(WriterConfig.class), RawSettings.of(config))
                .writer().orElseThrow();
    }

    static String problems(Map<String, String> properties) {
        return assertThrows(InvalidConfigurationException.class, () -> read(properties)).getMessage();
    }

    @Test
    void theDefaultsAreDataWorksDefaults() {
        WriterDefinition d = read(minimal());
        assertEquals("orders", d.topic());
        assertEquals(WriteMode.TEXT, d.layout().writeMode());
        assertEquals("\t", d.layout().fieldDelimiter());
        assertEquals(KafkaType.STRING, d.layout().keyType());
        assertEquals(KafkaType.STRING, d.layout().valueType());
        assertEquals("all", d.acks());
        assertTrue(d.transactional());
        assertEquals(1024, d.batchSize());
        assertEquals(-1, d.errorLimit());
        assertEquals(0, d.bytesPerSecond());
        assertEquals(Duration.ofMinutes(15), d.transactionTimeout());
        assertNull(d.layout().keyIndex());
        assertNull(d.partition());
        assertEquals("connect-status-orders-out", d.control().statusTopic());
        assertEquals("connect-error-orders-out", d.errorTopic());
        assertEquals("SELECT * FROM orders", SourceRead.resolve(d.source(), Map.of()).sql());
    }

    @Test
    void everyWriterParameterIsRead() {
        WriterDefinition d = read(with("kwsync.writer.key-indexes", "[0, 2]", "kwsync.writer.write-mode", "JSON",
                "kwsync.writer.column", "[{\"name\":\"id\",\"type\":\"JSON_NUMBER\"},\"name\"]", "kwsync.writer.key-type", "ByteArray",
                "kwsync.writer.value-type", "string", "kwsync.writer.null-key-format", "NK", "kwsync.writer.null-value-format", "\\N",
                "kwsync.writer.partition", "2", "kwsync.writer.acks", "1", "kwsync.writer.batch-size", "10",
                "kwsync.writer.error-limit", "0", "kwsync.writer.speed-mbps", "0.5", "kwsync.writer.transaction-timeout", "5m",
                "kwsync.writer.field-delimiter", "\\u0001"));
        assertEquals(List.of(0, 2), d.layout().keyIndexes());
        assertEquals(WriteMode.JSON, d.layout().writeMode());
        assertEquals(2, d.layout().fields().size());
        assertEquals(KafkaType.BYTEARRAY, d.layout().keyType());
        assertEquals("NK", d.layout().nullKeyFormat());
        assertEquals("\\N", d.layout().nullValueFormat());
        assertEquals("\u0001", d.layout().fieldDelimiter());
        assertEquals(2, d.partition());
        assertFalse(d.transactional(), "acks=1 is not transactional");
        assertEquals(10, d.batchSize());
        assertEquals(0, d.errorLimit());
        assertEquals(524_288, d.bytesPerSecond(), "0.5 MB/s, binary megabytes");
        assertEquals(Duration.ofMinutes(5), d.transactionTimeout());
        assertEquals("all", read(with("kwsync.writer.acks", "-1")).acks());
    }

    @Test
    void theSourceTemplatesTakeTheRunsParametersAndNoValueMayChangeTheStatement() {
        WriterDefinition d = read(with("kwsync.writer.source.columns", "id, name", "kwsync.writer.source.where", "ds='${bizdate}'",
                "kwsync.job.parameters", "bizdate=$bizdate", "kwsync.job.schedule", "day"));
        assertEquals("SELECT id, name FROM orders WHERE ds='20221121'", SourceRead.resolve(d.source(), Map.of("bizdate", "20221121")).sql());
        String refused = assertThrows(ExpressionException.class,
                () -> SourceRead.resolve(d.source(), Map.of("bizdate", "x' OR '1'='1"))).getMessage();
        assertTrue(refused.contains("parameter 'bizdate'") && refused.contains("may not contain a quote"), refused);
        for (String bad : new String[]{"1;DROP TABLE t", "1 -- x", "a\nb", "/* x */", "a\\b"}) {
            assertThrows(ExpressionException.class, () -> SourceRead.resolve(d.source(), Map.of("bizdate", bad)), bad);
        }
        WriterDefinition q = read(with("kwsync.writer.source.table", null, "kwsync.writer.source.query",
                "SELECT id, amount FROM orders WHERE ds = '${day}' ORDER BY id"));
        assertEquals("SELECT id, amount FROM orders WHERE ds = '2022-11-21' ORDER BY id",
                SourceRead.resolve(q.source(), Map.of("day", "2022-11-21")).sql());
        assertTrue(problems(with("kwsync.writer.source.where", "ds='${bizdate}'", "kwsync.job.schedule", "day"))
                .contains("KWSYNC_JOB_PARAMETERS (kwsync.job.parameters) does not define [bizdate]"));
    }

    @Test
    void aMaxComputeSourceReadsATableOrOnePartitionWithTheAccessKeyFromFiles() throws IOException {
        Path secret = Files.createTempFile("mc-key", "");
        Files.writeString(secret, "the-secret\n");
        WriterDefinition d = read(with("kwsync.writer.source.type", "maxcompute", "kwsync.writer.source.jdbc-url", null,
                "kwsync.writer.source.maxcompute-endpoint", "http://127.0.0.1:1/api", "kwsync.writer.source.maxcompute-project", "p",
                "kwsync.writer.source.maxcompute-access-id", "id", "kwsync.writer.source.maxcompute-access-key-file", secret.toString(),
                "kwsync.writer.source.partition", "ds=${bizdate}", "kwsync.job.parameters", "bizdate=$bizdate"));
        assertEquals(WriterSource.Kind.MAXCOMPUTE, d.source().kind());
        assertEquals("the-secret", d.source().maxCompute().accessKey());
        assertFalse(d.source().maxCompute().toString().contains("the-secret"), "never shown");
        SourceRead r = SourceRead.resolve(d.source(), Map.of("bizdate", "20221121"));
        assertEquals("ds=20221121", r.partition());
        assertEquals("maxcompute:orders/ds=20221121", r.describe());
        Files.delete(secret);
    }

    @Test
    void everyMistakeIsNamedWithItsVariable() {
        assertTrue(problems(with("kwsync.writer.topic", null)).contains("KWSYNC_WRITER_TOPIC (kwsync.writer.topic) is required"));
        assertTrue(problems(with("kwsync.writer.key-index", "0", "kwsync.writer.key-indexes", "1,2"))
                .contains("KWSYNC_WRITER_KEY_INDEXES (kwsync.writer.key-indexes) and KWSYNC_WRITER_KEY_INDEX are both set"));
        assertTrue(problems(with("kwsync.writer.key-indexes", "1,x")).contains("is not a list of column indexes"));
        assertTrue(problems(with("kwsync.writer.key-index", "-1")).contains("KWSYNC_WRITER_KEY_INDEX (kwsync.writer.key-index) must be 0 or more"));
        assertTrue(problems(with("kwsync.writer.write-mode", "json")).contains("KWSYNC_WRITER_COLUMN (kwsync.writer.column) is required"));
        assertTrue(problems(with("kwsync.writer.column", "a,b")).contains("applies only to KWSYNC_WRITER_WRITE_MODE=json"));
        assertTrue(problems(with("kwsync.writer.write-mode", "csv")).contains("'csv' is not text or json"));
        assertTrue(problems(with("kwsync.writer.write-mode", "json", "kwsync.writer.column", "a:JSON_DATE")).contains("is not one of JSON_STRING"));
        assertTrue(problems(with("kwsync.writer.key-type", "UUID")).contains("KWSYNC_WRITER_KEY_TYPE (kwsync.writer.key-type) 'UUID' is not one of"));
        assertTrue(problems(with("kwsync.writer.acks", "2")).contains("'2' is not 0, 1 or all"));
        assertTrue(problems(with("kwsync.writer.field-delimiter", "\\q")).contains("KWSYNC_WRITER_FIELD_DELIMITER"));
        assertTrue(problems(with("kwsync.writer.speed-mbps", "0")).contains("KWSYNC_WRITER_SPEED_MBPS"));
        assertTrue(problems(with("kwsync.writer.batch-size", "0")).contains("KWSYNC_WRITER_BATCH_SIZE"));
        assertTrue(problems(with("kwsync.writer.error-limit", "-1")).contains("KWSYNC_WRITER_ERROR_LIMIT"));
        assertTrue(problems(with("kwsync.writer.topic", "connect-error-orders-out")).contains("must differ from KWSYNC_ERROR_TOPIC"));
        assertTrue(problems(with("kwsync.writer.source.query", "SELECT 1")).contains("and KWSYNC_WRITER_SOURCE_TABLE are both set"));
        assertTrue(problems(with("kwsync.writer.source.table", null)).contains("KWSYNC_WRITER_SOURCE_TABLE (kwsync.writer.source.table) or"));
        assertTrue(problems(with("kwsync.writer.source.partition", "ds=1")).contains("applies to a MaxCompute source"));
        assertTrue(problems(with("kwsync.writer.source.table", "orders; DROP")).contains("is not a table name"));
        assertTrue(problems(with("kwsync.writer.source.jdbc-url", "jdbc:mysql://u:secret@h/db")).contains("must not carry a password"));
        assertFalse(problems(with("kwsync.writer.source.jdbc-url", "jdbc:mysql://u:secret@h/db")).contains("secret@"), "not repeated");
        assertTrue(problems(with("kwsync.writer.source.jdbc-url", "jdbc:oracle:thin:@h:1521:x")).contains("must start with jdbc:mysql://"));
        assertTrue(problems(with("kwsync.writer.source.jdbc-password-file", "/nonexistent/pw")).contains("names a file that does not exist"));
        assertTrue(problems(with("kwsync.writer.source.type", "oracle")).contains("'oracle' is not jdbc or maxcompute"));
        String mc = problems(with("kwsync.writer.source.type", "maxcompute"));
        assertTrue(mc.contains("KWSYNC_WRITER_SOURCE_MAXCOMPUTE_ENDPOINT") && mc.contains("KWSYNC_WRITER_SOURCE_MAXCOMPUTE_PROJECT")
                && mc.contains("KWSYNC_WRITER_SOURCE_MAXCOMPUTE_ACCESS_KEY") && mc.contains("KWSYNC_WRITER_SOURCE_JDBC_URL (kwsync.writer.source.jdbc-url)"
                + " does not apply"), mc);
        assertTrue(problems(with("kwsync.job.destination-partition", "ds=1")).contains("applies to window jobs"));
        assertTrue(problems(with("kwsync.source.topics", "orders")).contains("is not read in writer mode"));
    }
}
