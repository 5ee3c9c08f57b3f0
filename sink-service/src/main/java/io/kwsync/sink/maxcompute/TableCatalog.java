package io.kwsync.sink.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import org.jboss.logging.Logger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Table metadata and partitions, cached per table; partitions are created the first time a row needs one. Every call
 * to the service runs under the deadline of {@link SdkCalls}. At most {@code maxTables} tables are cached
 * (KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE), least recently used first out, so that a stream routed to any number of tables
 * holds a bounded amount of metadata; a table that fell out is read again when its next rows come. A session still
 * open on a table that fell out keeps its own reference to the metadata, so nothing in flight changes.
 */
final class TableCatalog {

    private static final Logger LOG = Logger.getLogger(TableCatalog.class);

    private final Odps odps;
    private final String project;
    private final SdkCalls calls;
    private final Map<String, TableInfo> tables;
    private final int maxTables;

    /** The default of KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE. */
    static final int DEFAULT_MAX_TABLES = 1000;

    TableCatalog(Odps odps, String project, SdkCalls calls) {
        this(odps, project, calls, DEFAULT_MAX_TABLES);
    }

    TableCatalog(Odps odps, String project, SdkCalls calls, int maxTables) {
        if (maxTables < 1) throw new IllegalArgumentException("maxTables < 1");
        this.odps = odps;
        this.project = project;
        this.calls = calls;
        this.maxTables = maxTables;
        this.tables = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) { // access order: LRU
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TableInfo> eldest) {
                return size() > maxTables;
            }
        });
    }

    /** The most tables cached at once (KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE). */
    int maxTables() {
        return maxTables;
    }

    /** Tables cached now. */
    int size() {
        return tables.size();
    }

    TableInfo get(String name) throws Exception {
        TableInfo info = tables.get(name);
        if (info != null) return info;
        QualifiedTable q;
        try {
            q = QualifiedTable.parse(name, project);
        } catch (IllegalArgumentException e) {
            throw new NoSuchObjectException(e.getMessage()); // not a table this sink can write, as a missing one
        }
        info = calls.call("reading table " + q, () -> {
            Table t = odps.tables().get(project, q.schema(), q.name());
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
