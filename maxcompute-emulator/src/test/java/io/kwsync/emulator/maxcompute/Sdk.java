package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordPack;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.io.CompressOption;

import java.io.IOException;

/** The unmodified SDK pointed at an emulator, and small helpers the emulator's tests share. */
final class Sdk {

    static final String PROJECT = "p1";
    static final String KV_TABLE = "(topic STRING, `partition` BIGINT, `offset` BIGINT, key STRING, value STRING)";
    static final CompressOption RAW = new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);

    private Sdk() {
    }

    static Odps odps(MaxComputeEmulator mc) {
        Odps odps = new Odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY));
        odps.setEndpoint(mc.endpoint());
        odps.setDefaultProject(PROJECT);
        odps.getRestClient().setRetryTimes(0);
        return odps;
    }

    static TableTunnel tunnel(MaxComputeEmulator mc) {
        return new TableTunnel(odps(mc));
    }

    /** An emulator with project p1, a key-value table {@code t} partitioned by pt, and partitions a and b. */
    static MaxComputeEmulator withKvTable(MaxComputeEmulator.Builder b) {
        MaxComputeEmulator mc = b.start().createProject(PROJECT);
        mc.execute(PROJECT, "CREATE TABLE t " + KV_TABLE + " PARTITIONED BY (pt STRING)");
        mc.execute(PROJECT, "ALTER TABLE t ADD PARTITION (pt='a')");
        mc.execute(PROJECT, "ALTER TABLE t ADD PARTITION (pt='b')");
        return mc;
    }

    /** Also a transactional table {@code u} with primary key (k), partitioned by pt, with partition a. */
    static void addUpsertTable(MaxComputeEmulator mc) {
        mc.execute(PROJECT, "CREATE TABLE u (k STRING NOT NULL, v BIGINT, PRIMARY KEY (k)) PARTITIONED BY (pt STRING)"
                + " TBLPROPERTIES ('transactional'='true')");
        mc.execute(PROJECT, "ALTER TABLE u ADD PARTITION (pt='a')");
    }

    static TableTunnel.UploadSession upload(TableTunnel tunnel, String partition) throws TunnelException {
        return tunnel.createUploadSession(PROJECT, "t", new PartitionSpec("pt=" + partition), false);
    }

    /** A pack of {@code n} key-value records, offsets from {@code first}, values of {@code valueBytes} characters. */
    static RecordPack pack(TableTunnel.UploadSession s, long first, int n, int valueBytes) throws IOException {
        RecordPack pack = s.newRecordPack(RAW);
        Record r = s.newRecord();
        for (long i = first; i < first + n; i++) {
            r.setString(0, "topic");
            r.setBigint(1, 0L);
            r.setBigint(2, i);
            r.setString(3, "k" + i);
            r.setString(4, "v".repeat(Math.max(1, valueBytes)));
            pack.append(r);
        }
        return pack;
    }

    /** The TunnelException behind an SDK failure (block uploads wrap it in an IOException). */
    static TunnelException tunnelCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TunnelException te && te.getStatus() != null) return te;
        }
        throw new AssertionError("no TunnelException with a status in " + e, e);
    }
}
