package io.kwsync.system;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.tunnel.TableTunnel;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Kafka Writer's round trip with MaxCompute: a partition of a table in the emulator, read through the SDK's
 * download session by ingest-service in writer mode, written to a topic, read back by ingest-service and sink-service
 * (MaxCompute tunnels) into a second table of the same columns, gives the same rows.
 */
class KafkaWriterMaxComputeIT {

    static final String PROJECT = "kwsync_writer_e2e";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    static void upload(String table, String ds, int from, int n) throws Exception {
        Odps odps = new Odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY));
        odps.setEndpoint(mc.endpoint());
        odps.setDefaultProject(PROJECT);
        TableTunnel.UploadSession s = new TableTunnel(odps).createUploadSession(PROJECT, table, new PartitionSpec("ds=" + ds));
        try (RecordWriter w = s.openRecordWriter(0)) {
            for (int i = from; i < from + n; i++) {
                Record r = s.newRecord();
                r.setBigint(0, (long) i);
                r.setString(1, i % 9 == 0 ? null : "名前 " + i + " \"q\"");
                r.set(2, new BigDecimal(i + "." + (i % 100 < 10 ? "0" : "") + i % 100));
                r.setDouble(3, i / 16.0);
                r.setBoolean(4, i % 2 == 0);
                w.write(r);
            }
        }
        s.commit(new Long[]{0L});
    }

    @Test
    void aPartitionComesBackTheSameThroughATopic() throws Exception {
        String connector = TestKafka.unique("wr-mc");
        String topic = connector + "-topic";
        String src = connector.replace('-', '_') + "_src";
        String dst = connector.replace('-', '_') + "_dst";
        TestKafka.createTopic(topic, 3);
        String columns = "(id BIGINT, name STRING, amount DECIMAL(12,2), ratio DOUBLE, ok BOOLEAN)";
        mc.execute(PROJECT, "CREATE TABLE " + src + " " + columns + " PARTITIONED BY (ds STRING)");
        mc.execute(PROJECT, "CREATE TABLE " + dst + " " + columns);
        mc.execute(PROJECT, "ALTER TABLE " + src + " ADD PARTITION (ds='20221121')");
        mc.execute(PROJECT, "ALTER TABLE " + src + " ADD PARTITION (ds='20221122')");
        upload(src, "20221121", 0, 400);
        upload(src, "20221122", 400, 50);

        Map<String, String> writerEnv = KafkaWriterRoundTripIT.writerEnv(connector + "-w", topic);
        writerEnv.put("KWSYNC_WRITER_SOURCE_TYPE", "maxcompute");
        writerEnv.put("KWSYNC_WRITER_SOURCE_MAXCOMPUTE_ENDPOINT", mc.endpoint());
        writerEnv.put("KWSYNC_WRITER_SOURCE_MAXCOMPUTE_PROJECT", PROJECT);
        writerEnv.put("KWSYNC_WRITER_SOURCE_MAXCOMPUTE_ACCESS_ID", MaxComputeEmulator.ACCESS_ID);
        writerEnv.put("KWSYNC_WRITER_SOURCE_MAXCOMPUTE_ACCESS_KEY_FILE",
                KafkaWriterRoundTripIT.secretFile(MaxComputeEmulator.ACCESS_KEY).toString());
        writerEnv.put("KWSYNC_WRITER_SOURCE_TABLE", src);
        writerEnv.put("KWSYNC_WRITER_SOURCE_PARTITION", "ds=${bizdate}");
        writerEnv.put("KWSYNC_WRITER_WRITE_MODE", "json");
        writerEnv.put("KWSYNC_WRITER_COLUMN", "id:JSON_NUMBER,name,amount:JSON_NUMBER,ratio:JSON_NUMBER,ok:JSON_BOOL");

        Map<String, String> readerEnv = new HashMap<>(MaxComputeEndToEndIT.env(mc, PROJECT, connector, topic, dst));
        readerEnv.remove("KWSYNC_RECORD_LAYOUT"); // JSON values become columns by name
        try (KafkaWriterRoundTripIT.RoundTrip trip = KafkaWriterRoundTripIT.RoundTrip.start(connector, writerEnv, readerEnv)) {
            ServiceProcess writer = trip.writer();

            Map<String, Object> run = KafkaWriterRoundTripIT.runFor(writer, connector + "-w", "20221121");
            assertEquals(400L, JobEndToEndIT.written(run, topic));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> mc.rowCount(PROJECT, dst) >= 400);
            List<Map<String, Object>> expected = sorted(mc.rows(PROJECT, src, "ds=20221121"));
            List<Map<String, Object>> actual = sorted(mc.rows(PROJECT, dst, ""));
            assertEquals(400, expected.size());
            assertEquals(expected, actual);
        }
    }

    static List<Map<String, Object>> sorted(List<Map<String, Object>> rows) {
        return rows.stream().sorted(Comparator.comparingLong(r -> (Long) r.get("id"))).toList();
    }
}
