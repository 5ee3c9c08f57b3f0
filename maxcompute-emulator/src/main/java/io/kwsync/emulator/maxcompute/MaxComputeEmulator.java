package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A local stand-in for MaxCompute that speaks the part of its REST API and tunnel protocol kwsync uses, so that the
 * real odps-sdk-core runs against it unchanged. A development and test tool, not a database:
 *
 * <ul>
 * <li>REST ({@link #endpoint()}, path prefix {@code /api}): project and table metadata, partition lookup and listing,
 * the tunnel address, and SQL instances for {@code CREATE TABLE} and {@code ALTER TABLE ... ADD PARTITION}.</li>
 * <li>Tunnel ({@link #tunnelEndpoint()}): upload sessions (create, block upload, reload, commit, with overwrite),
 * upsert sessions on transactional primary-key tables (create, bucket upload, reload, commit, abort), streaming-tunnel
 * sessions (create, record-pack upload, reload) and download sessions (to read rows back through the SDK).</li>
 * </ul>
 *
 * Requests must carry a valid {@code ODPS id:signature} header for the instance's AccessKey ({@link #ACCESS_ID} /
 * {@link #ACCESS_KEY} unless the builder sets others). Uploaded blocks are decoded with the SDK's own stream reader;
 * committed rows are kept in memory per partition. The tunnel's limits ({@link EmulatorLimits}) are enforced with the
 * service's status codes and error codes, time comes from the instance's {@link Clock}, and tests can arm faults
 * (lost or held replies, refused privileges) and read per-partition counters. Thread-safe.
 */
public final class MaxComputeEmulator implements AutoCloseable {

    public static final String ACCESS_ID = "kwsync-emulator-id";
    public static final String ACCESS_KEY = "kwsync-emulator-secret-7f3a9c";

    private final Warehouse warehouse;
    private final Faults faults = new Faults();
    private final EmulatorServer server;
    private final Signature signature;

    /** Chooses port, AccessKey, limits and clock of an emulator before it starts. */
    public static final class Builder {
        private int port;
        private String accessId = ACCESS_ID;
        private String accessKey = ACCESS_KEY;
        private EmulatorLimits limits = EmulatorLimits.REAL;
        private Clock clock = Clock.systemUTC();
        private boolean keepRows = true;

        private Builder() {
        }

        /**
         * Whether committed rows are kept (the default). Without, rows are counted and told to the
         * {@link #onVisible} listener but not stored, so that a long benchmark run does not fill the heap; only the rows
         * of sessions not committed yet are held.
         */
        public Builder keepRows(boolean keep) {
            this.keepRows = keep;
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder credentials(String accessId, String accessKey) {
            this.accessId = Objects.requireNonNull(accessId);
            this.accessKey = Objects.requireNonNull(accessKey);
            return this;
        }

        public Builder limits(EmulatorLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** The clock sessions expire, commit and are paced by; an {@link AdjustableClock} lets tests move it. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public MaxComputeEmulator start() {
            try {
                return new MaxComputeEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private MaxComputeEmulator(Builder b) throws IOException {
        PackageClasses.loadAll();
        warehouse = new Warehouse(b.clock, b.limits, b.keepRows);
        signature = new Signature(b.accessId, b.accessKey, b.clock);
        server = new EmulatorServer(b.port, warehouse, faults, signature);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An emulator on a free port with the default AccessKey, MaxCompute's limits and the system clock. */
    public static MaxComputeEmulator start() {
        return builder().start();
    }

    /** The REST endpoint to give the SDK, e.g. {@code http://127.0.0.1:41234/api}. */
    public String endpoint() {
        return server.endpoint();
    }

    /** The tunnel endpoint; the SDK also finds it by itself through {@code GET /projects/P/tunnel?service}. */
    public String tunnelEndpoint() {
        return server.tunnelEndpoint();
    }

    public int port() {
        return server.port();
    }

    public EmulatorLimits limits() {
        return warehouse.limits;
    }

    public Clock clock() {
        return warehouse.clock;
    }

    /**
     * Temporary credentials as Alibaba Cloud STS hands them out: an AccessKey id, secret and security token that the
     * emulator accepts until {@code expires} by its clock (then 401 {@code SecurityTokenExpired}). The id starts with
     * {@code STS.}, as STS's do; toString never shows the secret or the token.
     */
    public record StsCredentials(String accessId, String accessSecret, String securityToken, java.time.Instant expires) {
        @Override
        public String toString() {
            return "StsCredentials[" + accessId + ", expires " + expires + "]";
        }
    }

    /** Issues new STS credentials valid for {@code validity} from now by the emulator's clock. */
    public StsCredentials issueStsCredentials(java.time.Duration validity) {
        String n = UUID.randomUUID().toString().replace("-", "");
        StsCredentials c = new StsCredentials("STS." + n.substring(0, 16), "sts-secret-" + n.substring(16),
                "sts-token-" + UUID.randomUUID(), warehouse.clock.instant().plus(validity));
        signature.issue(c.accessId(), c.accessSecret(), c.securityToken(), c.expires());
        return c;
    }

    // ---------------------------------------------------------------- projects, tables, rows

    public MaxComputeEmulator createProject(String project) {
        warehouse.createProject(project);
        return this;
    }

    /**
     * Adds a schema (MaxCompute's three-level model) to a project. Its tables are named {@code schema.table} in this
     * API ({@link #rows}, {@link #allRows}, ...) and {@code project.schema.table} in {@link #execute}; requests naming a
     * schema the project does not have are refused as the service refuses them.
     */
    public MaxComputeEmulator createSchema(String project, String schema) {
        warehouse.createSchema(project, schema);
        return this;
    }

    /** Runs a CREATE TABLE or ALTER TABLE ... ADD PARTITION statement, as an administrator would. */
    public void execute(String project, String sql) {
        String failure = warehouse.run(project, sql, false);
        if (failure != null) throw new IllegalArgumentException(failure);
    }

    public boolean tableExists(String project, String table) {
        return warehouse.table(project, table) != null;
    }

    /** The partitions of a table, as specs {@code a=1,b=2}, in creation order. */
    public List<String> partitions(String project, String table) {
        synchronized (warehouse) {
            warehouse.settle();
            return new ArrayList<>(warehouse.required(project, table).partitions.keySet());
        }
    }

    /** Committed rows of one partition ({@code ""} for an unpartitioned table), column name -> value. */
    public List<Map<String, Object>> rows(String project, String table, String spec) {
        synchronized (warehouse) {
            warehouse.settle();
            EmulatedTable t = warehouse.required(project, table);
            List<Map<String, Object>> rows = t.partitions.get(t.canonical(spec));
            if (rows == null) throw new IllegalArgumentException("no partition " + spec + " in " + project + "." + table);
            List<Map<String, Object>> copy = new ArrayList<>();
            rows.forEach(r -> copy.add(new LinkedHashMap<>(r)));
            return copy;
        }
    }

    /** Committed rows of every partition: spec -> rows. */
    public Map<String, List<Map<String, Object>>> allRows(String project, String table) {
        synchronized (warehouse) {
            Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
            for (String spec : partitions(project, table)) out.put(spec, rows(project, table, spec));
            return out;
        }
    }

    public int rowCount(String project, String table) {
        synchronized (warehouse) {
            warehouse.settle();
            EmulatedTable t = warehouse.table(project, table);
            return t == null ? 0 : t.partitions.values().stream().mapToInt(List::size).sum();
        }
    }

    /** The DDL-level facts of a table, for assertions on tables the sink created. */
    public String describe(String project, String table) {
        EmulatedTable t = warehouse.required(project, table);
        return t.name + " " + columnsText(t.schema.getColumns()) + " PARTITIONED BY " + columnsText(t.schema.getPartitionColumns())
                + " LIFECYCLE " + t.lifecycle;
    }

    private static String columnsText(List<Column> columns) {
        List<String> parts = new ArrayList<>();
        for (Column c : columns) parts.add(c.getName() + " " + c.getTypeInfo().getTypeName());
        return "(" + String.join(", ", parts) + ")";
    }

    // ---------------------------------------------------------------- counters

    /** The tunnel counters of each partition of a table that saw a session, in first-use order. */
    public Map<String, PartitionCounters> counters(String project, String table) {
        synchronized (warehouse) {
            warehouse.settle();
            return warehouse.accounting.of(project, table);
        }
    }

    /** The counters of one partition ({@code ""} for an unpartitioned table); all zero when it saw no session. */
    public PartitionCounters counters(String project, String table, String spec) {
        String normalized;
        synchronized (warehouse) {
            EmulatedTable t = warehouse.table(project, table);
            normalized = t == null ? Warehouse.normalize(spec) : t.canonical(spec);
        }
        PartitionCounters c = counters(project, table).get(normalized);
        return c != null ? c : new PartitionCounters(normalized, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), 0);
    }

    /**
     * Tells {@code listener} about rows as they become visible (a commit takes effect, a streaming upload is taken), with
     * the emulator's time; null stops. It runs under the emulator's lock: it must be quick and must not call back.
     */
    public void onVisible(VisibleRows listener) {
        warehouse.listen(listener);
    }

    /** "METHOD path" of every request so far, for tests that count sessions or commits. */
    public List<String> requests() {
        return server.requests();
    }

    // ---------------------------------------------------------------- faults

    /**
     * Refuses a privilege from now on, as a missing grant would: {@code CreateInstance} (SQL instances),
     * {@code Describe} (table metadata), {@code Alter} (adding partitions), {@code Update} (tunnel sessions),
     * {@code CreateTable}.
     */
    public void deny(String privilege) {
        warehouse.deny(privilege);
    }

    public void allowAll() {
        warehouse.allowAll();
    }

    /**
     * The next {@code times} requests of the given kind are taken into account (the block stored, the records buffered,
     * the commit applied) and then go unanswered in the given way. A commit fault stays with the session it hits: the
     * client's repeated commit requests for that session go unanswered too, while its status reloads are answered.
     */
    public void failNext(TunnelCall call, ReplyFault how, int times) {
        faults.arm(call, how, times);
    }

    /** Lets every request held by {@link ReplyFault#HANG} end (its connection closes without an answer). */
    public void releaseHeldReplies() {
        faults.releaseHeld();
    }

    /** Disarms every pending fault armed by {@link #failNext}, {@link #dropCommitResponses} and {@link #failBlockUploads}. */
    public void clearFaults() {
        faults.disarm();
    }

    /**
     * The next {@code n} upload sessions committed take effect, but the connection is cut before the answer (a lost
     * reply), also when the client asks again.
     */
    public void dropCommitResponses(int n) {
        faults.dropCommitResponses(n);
    }

    /** The next {@code n} block uploads fail with 500 after reading the block. */
    public void failBlockUploads(int n) {
        faults.failBlockUploads(n);
    }

    /**
     * From now on, commits of upload sessions wait (the request is received, the answer does not come) until
     * {@link #releaseCommits}; then they take effect, as a commit the service received does even when its client died.
     */
    public void holdCommits() {
        faults.holdCommits();
    }

    public void releaseCommits() {
        faults.releaseCommits();
    }

    /**
     * Forgets every upload session not committed, as the service does some time after they expire (requests on them
     * then get 404 {@code NoSuchUpload}). Sessions older than {@link EmulatorLimits#sessionLifetime} by the clock are
     * refused with 409 {@code StatusConflict} "expired" without this.
     */
    public void expireUploadSessions() {
        server.uploads().forgetUncommitted();
    }

    // ---------------------------------------------------------------- snapshot

    /** Writes projects, tables (as DDL) and committed rows to a JSON file that {@link #load} reads back. */
    public void save(Path file) throws IOException {
        synchronized (warehouse) {
            warehouse.settle();
            Snapshot.write(warehouse, file);
        }
    }

    /** Creates the projects, tables, partitions and rows of a file written by {@link #save}, next to what exists. */
    public MaxComputeEmulator load(Path file) throws IOException {
        synchronized (warehouse) {
            Snapshot.read(warehouse, file);
        }
        return this;
    }

    @Override
    public void close() {
        server.stop();
    }
}
