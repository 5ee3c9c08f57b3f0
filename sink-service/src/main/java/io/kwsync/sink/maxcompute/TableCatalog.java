package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Table metadata and partitions, cached per table; partitions are created the first time a row needs one. Every call
 * to the service runs under the deadline of {@link SdkCalls}.
 */
final class TableCatalog {

    private static final Logger LOG = Logger.getLogger(TableCatalog.class);

    private final Odps odps;
    private final String project;
    private final SdkCalls calls;
    private final Map<String, TableInfo> tables = new ConcurrentHashMap<>();

    TableCatalog(Odps odps, String project, SdkCalls calls) {
        this.odps = odps;
        this.project = project;
        this.calls = calls;
    }

    TableInfo get(String name) throws Exception {
        TableInfo info = tables.get(name);
        if (info != null) return info;
        info = calls.call("reading table " + project + "." + name, () -> {
            Table t = odps.tables().get(project, name);
            t.reload();
            return new TableInfo(name, t, t.getSchema(), t.isDeltaTable());
        });
        tables.put(name, info);
        return info;
    }

    /** Drops what is cached about a table, after a failure that may come from a change made outside the sink. */
    void forget(String name) {
        tables.remove(name);
    }

    /**
     * Makes sure a partition exists: a cache hit costs nothing, a miss asks the service once and, when the
     * partition is missing, adds it with {@code ALTER TABLE ... ADD IF NOT EXISTS PARTITION} (a SQL instance).
     */
    void ensurePartition(TableInfo t, PartitionSpec spec, String specText) throws Exception {
        if (t.knownPartitions.contains(specText)) return;
        boolean created = calls.call("adding partition " + specText + " to " + project + "." + t.name, () -> {
            if (t.table.hasPartition(spec)) return false;
            t.table.createPartition(spec, true);
            return true;
        });
        if (created) LOG.infof("created partition %s of %s.%s", specText, project, t.name);
        t.knownPartitions.add(specText);
    }

    static PartitionSpec spec(Map<String, String> partition) {
        PartitionSpec spec = new PartitionSpec();
        partition.forEach(spec::set);
        return spec;
    }
}
