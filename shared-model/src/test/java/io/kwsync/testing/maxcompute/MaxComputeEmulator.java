package io.kwsync.testing.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamReader;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.type.TypeInfoFactory;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for MaxCompute that speaks the part of its REST API and tunnel protocol the sink uses, so that
 * the real odps-sdk-core can run against it unchanged:
 *
 * <ul>
 * <li>REST ({@link #endpoint()}, path prefix {@code /api}): project and table metadata, partition lookup, the tunnel
 * address, and SQL instances for {@code CREATE TABLE} and {@code ALTER TABLE ... ADD PARTITION}.</li>
 * <li>Tunnel ({@link #tunnelEndpoint()}): upload sessions (create, block upload, reload, commit, with overwrite)
 * and upsert sessions on transactional primary-key tables (create, bucket upload, reload, commit, abort).</li>
 * </ul>
 *
 * Requests must carry a valid {@code ODPS id:signature} header for {@link #ACCESS_ID}/{@link #ACCESS_KEY}. Uploaded
 * blocks are decoded with the SDK's own {@link ProtobufRecordStreamReader}, and committed rows are kept in memory
 * per partition for tests to inspect. Permission failures are simulated with {@link #deny}: the same 403 answers
 * and error codes MaxCompute gives. Thread-safe; every state change happens under the emulator's lock.
 */
public final class MaxComputeEmulator implements AutoCloseable {

    public static final String ACCESS_ID = "kwsync-emulator-id";
    public static final String ACCESS_KEY = "kwsync-emulator-secret-7f3a9c";

    private static final Pattern AUTH = Pattern.compile("ODPS ([^:]+):(.+)");
    private static final Pattern QUERY = Pattern.compile("(?s)<Query>(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))</Query>");
    private static final Pattern TASK_NAME = Pattern.compile("(?s)<SQL>.*?<Name>([^<]*)</Name>");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "maxcompute-emulator");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Map<String, EmulatedTable>> projects = new LinkedHashMap<>();
    private final Map<String, Upload> uploads = new HashMap<>();
    private final Map<String, Upsert> upserts = new HashMap<>();
    private final Map<String, SqlInstance> instances = new HashMap<>();
    private final Set<String> denied = new HashSet<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger dropCommitResponses = new AtomicInteger();
    /** Upload sessions whose commit answers are lost, every time they are asked (HttpURLConnection repeats a POST once). */
    private final Set<String> lostReplies = Collections.synchronizedSet(new HashSet<>());
    private final AtomicInteger failBlockUploads = new AtomicInteger();
    /** While set, upload-session commits wait for it before taking effect. */
    private volatile CountDownLatch commitGate;

    private static final class Upload {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final EmulatedTable table;
        final String spec;
        final boolean overwrite;
        final Map<Long, List<Map<String, Object>>> blocks = new LinkedHashMap<>();
        String status = "normal";

        Upload(EmulatedTable table, String spec, boolean overwrite) {
            this.table = table;
            this.spec = spec;
            this.overwrite = overwrite;
        }
    }

    private static final class Upsert {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final EmulatedTable table;
        final String spec;
        final List<Map.Entry<Map<String, Object>, Character>> operations = new ArrayList<>();
        String status = "normal";

        Upsert(EmulatedTable table, String spec) {
            this.table = table;
            this.spec = spec;
        }
    }

    private record SqlInstance(String task, String failure) {
    }

    /** A request refused with MaxCompute's status, error code and message. */
    private static final class Refusal extends RuntimeException {
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private MaxComputeEmulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static MaxComputeEmulator start() {
        try {
            return new MaxComputeEmulator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The REST endpoint to give the SDK, e.g. {@code http://127.0.0.1:41234/api}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    /** The tunnel endpoint; the SDK also finds it by itself through {@code GET /projects/P/tunnel?service}. */
    public String tunnelEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---------------------------------------------------------------- test API

    public synchronized MaxComputeEmulator createProject(String project) {
        projects.putIfAbsent(project, new LinkedHashMap<>());
        return this;
    }

    /** Runs a CREATE TABLE or ALTER TABLE ... ADD PARTITION statement, as an administrator would. */
    public synchronized void execute(String project, String sql) {
        String failure = run(project, sql, false);
        if (failure != null) throw new IllegalArgumentException(failure);
    }

    public synchronized boolean tableExists(String project, String table) {
        return table(project, table) != null;
    }

    /** The partitions of a table, as specs {@code a=1,b=2}, in creation order. */
    public synchronized List<String> partitions(String project, String table) {
        return new ArrayList<>(required(project, table).partitions.keySet());
    }

    /** Committed rows of one partition ({@code ""} for an unpartitioned table), column name -> value. */
    public synchronized List<Map<String, Object>> rows(String project, String table, String spec) {
        List<Map<String, Object>> rows = required(project, table).partitions.get(normalize(spec));
        if (rows == null) throw new IllegalArgumentException("no partition " + spec + " in " + project + "." + table);
        List<Map<String, Object>> copy = new ArrayList<>();
        rows.forEach(r -> copy.add(new LinkedHashMap<>(r)));
        return copy;
    }

    /** Committed rows of every partition: spec -> rows. */
    public synchronized Map<String, List<Map<String, Object>>> allRows(String project, String table) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (String spec : required(project, table).partitions.keySet()) out.put(spec, rows(project, table, spec));
        return out;
    }

    public synchronized int rowCount(String project, String table) {
        EmulatedTable t = table(project, table);
        return t == null ? 0 : t.partitions.values().stream().mapToInt(List::size).sum();
    }

    /** The DDL-level facts of a table, for assertions on tables the sink created. */
    public synchronized String describe(String project, String table) {
        EmulatedTable t = required(project, table);
        return t.name + " " + columnsText(t.schema.getColumns()) + " PARTITIONED BY " + columnsText(t.schema.getPartitionColumns())
                + " LIFECYCLE " + t.lifecycle;
    }

    private static String columnsText(List<Column> columns) {
        List<String> parts = new ArrayList<>();
        for (Column c : columns) parts.add(c.getName() + " " + c.getTypeInfo().getTypeName());
        return "(" + String.join(", ", parts) + ")";
    }

    /**
     * Refuses a privilege from now on, as a missing grant would: {@code CreateInstance} (SQL instances),
     * {@code Describe} (table metadata), {@code Alter} (adding partitions), {@code Update} (tunnel sessions),
     * {@code CreateTable}.
     */
    public synchronized void deny(String privilege) {
        denied.add(privilege);
    }

    public synchronized void allowAll() {
        denied.clear();
    }

    /**
     * The next {@code n} upload sessions committed take effect, but the connection is cut before the answer (a lost
     * reply), also when the client asks again.
     */
    public void dropCommitResponses(int n) {
        dropCommitResponses.set(n);
    }

    /** The next {@code n} block uploads fail with 500 after reading the block. */
    public void failBlockUploads(int n) {
        failBlockUploads.set(n);
    }

    /**
     * From now on, commits of upload sessions wait (the request is received, the answer does not come) until
     * {@link #releaseCommits}; then they take effect, as a commit the service received does even when its client died.
     */
    public void holdCommits() {
        commitGate = new CountDownLatch(1);
    }

    public void releaseCommits() {
        CountDownLatch gate = commitGate;
        commitGate = null;
        if (gate != null) gate.countDown();
    }

    /** Forgets every upload session not committed, as the service does 24 hours after their creation. */
    public synchronized void expireUploadSessions() {
        uploads.values().removeIf(u -> u.status.equals("normal"));
    }

    /** "METHOD path" of every request so far, for tests that count sessions or commits. */
    public List<String> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> params = query(ex.getRequestURI().getRawQuery());
            requests.add(ex.getRequestMethod() + " " + path + (params.containsKey("uploads") ? "?uploads" : "")
                    + (params.containsKey("uploadid") ? "?uploadid" : "") + (params.containsKey("upsertid") ? "?upsertid" : ""));
            byte[] body = readBody(ex);
            try {
                boolean api = path.startsWith("/api/");
                if (!api && !path.startsWith("/projects/")) throw new Refusal(404, "NoSuchObject", "unknown resource " + path);
                String resource = api ? path.substring(4) : path;
                authenticate(ex, resource, params);
                List<String> seg = List.of(resource.substring(1).split("/"));
                if (seg.size() < 2 || !seg.get(0).equals("projects")) throw new Refusal(404, "NoSuchObject", "unknown resource " + path);
                if (api) api(ex, seg, params, body);
                else tunnel(ex, seg, params, body);
            } catch (Refusal r) {
                JsonObject e = new JsonObject();
                e.addProperty("Code", r.code);
                e.addProperty("Message", r.getMessage());
                e.addProperty("RequestId", UUID.randomUUID().toString());
                send(ex, r.status, "application/json", e.toString());
            } catch (DroppedReply d) {
                // the exchange closes without a response: the client sees the connection end
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private static final class DroppedReply extends RuntimeException {
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
        return params;
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("x-odps-request-id", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
    }

    // ---------------------------------------------------------------- authentication

    /** Checks the request signature the SDK's AliyunRequestSigner computes (HMAC-SHA1 over a canonical string). */
    private static void authenticate(HttpExchange ex, String resource, Map<String, String> params) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Matcher m = auth == null ? null : AUTH.matcher(auth);
        if (m == null || !m.matches()) throw new Refusal(401, "Unauthorized", "ODPS-0410040:Authorization required");
        if (!ACCESS_ID.equals(m.group(1))) {
            throw new Refusal(401, "InvalidAccessKeyId", "ODPS-0410051:Invalid credentials - accessKeyId not found");
        }
        String given = m.group(2);
        if (!given.equals(sign(canonical(ex, resource, params, false))) && !given.equals(sign(canonical(ex, resource, params, true)))) {
            throw new Refusal(401, "SignatureNotMatch", "ODPS-0410042:Invalid signature value - User signature dose not match");
        }
    }

    /**
     * @param formDefault whether a Content-Type of application/x-www-form-urlencoded was added by the HTTP client
     *                    after signing (HttpURLConnection does that for bodies without one)
     */
    private static String canonical(HttpExchange ex, String resource, Map<String, String> params, boolean formDefault) {
        TreeMap<String, String> signed = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (key.equals("content-type") || key.equals("content-md5") || key.equals("date") || key.startsWith("x-odps-")) {
                signed.put(key, v.get(0));
            }
        });
        if (formDefault && "application/x-www-form-urlencoded".equals(signed.get("content-type"))) signed.remove("content-type");
        signed.putIfAbsent("content-type", "");
        signed.putIfAbsent("content-md5", "");
        params.forEach((k, v) -> {
            if (k.startsWith("x-odps-")) signed.put(k, v);
        });
        StringBuilder sb = new StringBuilder(ex.getRequestMethod()).append('\n');
        signed.forEach((k, v) -> sb.append(k.startsWith("x-odps-") ? k + ":" + v : v).append('\n'));
        sb.append(resource);
        char sep = '?';
        for (String k : new TreeMap<>(params).keySet()) {
            sb.append(sep).append(k);
            if (!params.get(k).isEmpty()) sb.append('=').append(params.get(k));
            sep = '&';
        }
        return sb.toString();
    }

    private static String sign(String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(ACCESS_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- REST API

    private void api(HttpExchange ex, List<String> seg, Map<String, String> params, byte[] body) throws IOException {
        String project = seg.get(1);
        String method = ex.getRequestMethod();
        synchronized (this) {
            if (!projects.containsKey(project)) {
                throw new Refusal(404, "NoSuchProject", "ODPS-0420111: Project not found - '" + project + "'.");
            }
        }
        if (seg.size() == 2 && method.equals("GET")) {
            ex.getResponseHeaders().set("x-odps-owner", "ALIYUN$kwsync-emulator");
            ex.getResponseHeaders().set("x-odps-creation-time", rfc822(new Date(1_600_000_000_000L)));
            ex.getResponseHeaders().set("Last-Modified", rfc822(new Date(1_600_000_000_000L)));
            send(ex, 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Project><Name>" + project
                    + "</Name><Type>managed</Type><Comment></Comment><State>AVAILABLE</State><Properties></Properties></Project>");
        } else if (seg.size() == 3 && seg.get(2).equals("tunnel") && method.equals("GET")) {
            send(ex, 200, "text/plain", "127.0.0.1:" + server.getAddress().getPort());
        } else if (seg.size() == 4 && seg.get(2).equals("tables") && method.equals("GET")) {
            check("Describe", "projects/" + project + "/tables/" + seg.get(3));
            String xml;
            synchronized (this) {
                EmulatedTable t = existing(project, seg.get(3));
                if (params.containsKey("partition")) {
                    String spec = normalize(params.get("partition"));
                    if (!t.partitions.containsKey(spec)) {
                        throw new Refusal(404, "NoSuchPartition", "ODPS-0130131:Partition not found - '" + spec + "'");
                    }
                    xml = "<Partition><Schema><![CDATA[{\"createTime\":1600000000,\"partitionRecordNum\":"
                            + t.partitions.get(spec).size() + "}]]></Schema></Partition>";
                } else {
                    xml = "<Table><Name>" + t.name + "</Name><TableId>" + t.name + "-id</TableId><Project>" + project
                            + "</Project><Schema><![CDATA[" + t.metadataJson() + "]]></Schema></Table>";
                }
            }
            send(ex, 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml);
        } else if (seg.size() == 3 && seg.get(2).equals("instances") && method.equals("POST")) {
            check("CreateInstance", "projects/" + project);
            String xml = new String(body, StandardCharsets.UTF_8);
            Matcher q = QUERY.matcher(xml);
            Matcher n = TASK_NAME.matcher(xml);
            if (!q.find()) throw new Refusal(400, "InvalidArgument", "the emulator runs SQL tasks only");
            String task = n.find() ? n.group(1) : "AnonymousSQLTask";
            String id = new SimpleDateFormat("yyyyMMddHHmmssSSS").format(new Date()) + UUID.randomUUID().toString().substring(0, 8);
            synchronized (this) {
                String sql = q.group(1) != null ? q.group(1) : q.group(2).replace("&apos;", "'").replace("&quot;", "\"")
                        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
                instances.put(id, new SqlInstance(task, run(project, sql, true)));
            }
            ex.getResponseHeaders().set("Location", endpoint() + "/projects/" + project + "/instances/" + id);
            send(ex, 201, "application/xml", "");
        } else if (seg.size() == 4 && seg.get(2).equals("instances") && method.equals("GET")) {
            SqlInstance i;
            synchronized (this) {
                i = instances.get(seg.get(3));
            }
            if (i == null) throw new Refusal(404, "NoSuchObject", "ODPS-0420111: Instance not found - " + seg.get(3));
            String status = i.failure == null ? "Success" : "Failed";
            String xml;
            if (params.containsKey("taskstatus")) {
                xml = "<Instance><Status>Terminated</Status><Tasks><Task Type=\"SQL\"><Name>" + i.task + "</Name><Status>"
                        + status + "</Status></Task></Tasks></Instance>";
            } else if (params.containsKey("result")) {
                xml = "<Instance><Tasks><Task Type=\"SQL\"><Name>" + i.task + "</Name><Result Format=\"text\"><![CDATA["
                        + (i.failure == null ? "OK" : i.failure) + "]]></Result><Status>" + status + "</Status></Task></Tasks></Instance>";
            } else {
                ex.getResponseHeaders().set("x-odps-owner", "ALIYUN$kwsync-emulator");
                ex.getResponseHeaders().set("x-odps-start-time", rfc822(new Date()));
                ex.getResponseHeaders().set("x-odps-end-time", rfc822(new Date()));
                xml = "<Instance><Status>Terminated</Status></Instance>";
            }
            send(ex, 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml);
        } else {
            throw new Refusal(400, "NotSupported", "the emulator does not serve " + method + " " + String.join("/", seg));
        }
    }

    private static String rfc822(Date d) {
        SimpleDateFormat f = new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss z", Locale.US);
        f.setTimeZone(TimeZone.getTimeZone("GMT"));
        return f.format(d);
    }

    private synchronized void check(String privilege, String object) {
        if (denied.contains(privilege)) {
            throw new Refusal(403, "NoPermission", "ODPS-0420095: Access Denied - Authorization Failed [4019], You have NO privilege 'odps:"
                    + privilege + "' on {acs:odps:*:" + object + "}. Context ID:emulator.");
        }
    }

    /** Runs one statement; returns the failure text of the SQL task, or null when it succeeded. */
    private synchronized String run(String project, String sql, boolean checkPrivileges) {
        try {
            EmulatorSql.Statement s = EmulatorSql.parse(project, sql);
            if (s instanceof EmulatorSql.CreateTable c) {
                if (checkPrivileges && denied.contains("CreateTable")) return authorizationFailure("CreateTable", "projects/" + c.project());
                Map<String, EmulatedTable> tables = projects.get(c.project());
                if (tables == null) return "ODPS-0130131:Project not found - '" + c.project() + "'";
                if (tables.containsKey(c.table().toLowerCase(Locale.ROOT))) {
                    return c.ifNotExists() ? null : "ODPS-0130071:Semantic analysis exception - Table or view already exists - "
                            + c.project() + "." + c.table();
                }
                tables.put(c.table().toLowerCase(Locale.ROOT), new EmulatedTable(c.project(), c.table(), c.schema(), c.primaryKey(),
                        c.transactional(), c.lifecycle()));
                return null;
            }
            EmulatorSql.AddPartition a = (EmulatorSql.AddPartition) s;
            EmulatedTable t = table(a.project(), a.table());
            if (t == null) return "ODPS-0130131:Table not found - '" + a.project() + "." + a.table() + "'";
            if (checkPrivileges && denied.contains("Alter")) {
                return authorizationFailure("Alter", "projects/" + a.project() + "/tables/" + a.table());
            }
            List<String> keys = new ArrayList<>();
            t.schema.getPartitionColumns().forEach(c -> keys.add(c.getName()));
            if (!keys.equals(new ArrayList<>(a.spec().keySet()))) {
                return "ODPS-0130071:Semantic analysis exception - partition spec " + a.spec() + " does not match " + keys;
            }
            String spec = normalize(specText(a.spec()));
            if (t.partitions.containsKey(spec)) {
                return a.ifNotExists() ? null : "ODPS-0130111:Partition already exists - " + spec;
            }
            t.partitions.put(spec, new ArrayList<>());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String authorizationFailure(String privilege, String object) {
        return "ODPS-0130013:Authorization exception - Authorization Failed [4019], You have NO privilege 'odps:" + privilege
                + "' on {acs:odps:*:" + object + "}. Context ID:emulator.";
    }

    // ---------------------------------------------------------------- tunnel

    private void tunnel(HttpExchange ex, List<String> seg, Map<String, String> params, byte[] body) throws IOException {
        if (seg.size() < 4 || !seg.get(2).equals("tables")) throw new Refusal(400, "NotSupported", "unknown tunnel resource");
        String project = seg.get(1);
        String table = seg.get(3);
        String method = ex.getRequestMethod();
        boolean upsert = seg.size() == 5 && seg.get(4).equals("upserts");
        if (upsert) {
            upsert(ex, project, table, method, params, body);
            return;
        }
        if (method.equals("POST") && params.containsKey("uploads")) {
            check("Update", "projects/" + project + "/tables/" + table);
            Upload u;
            synchronized (this) {
                EmulatedTable t = existingForTunnel(project, table);
                u = new Upload(t, partitionOf(t, params), "true".equals(params.get("overwrite")));
                uploads.put(u.id, u);
            }
            send(ex, 201, "application/json", uploadJson(u));
            return;
        }
        Upload u;
        synchronized (this) {
            u = uploads.get(params.get("uploadid"));
        }
        if (u == null) throw new Refusal(404, "NoSuchUpload", "The specified upload id does not exist");
        if (method.equals("PUT")) {
            List<Map<String, Object>> rows = decode(u.table, u.table.schema, body, ex.getRequestHeaders().getFirst("Content-Encoding"));
            if (failBlockUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new Refusal(500, "InternalServerError", "simulated failure after reading the block");
            }
            synchronized (this) {
                if (!u.status.equals("normal")) throw new Refusal(409, "StatusConflict", "upload session is " + u.status);
                u.blocks.put(Long.parseLong(params.get("blockid")), rows);
            }
            send(ex, 200, "application/json", "");
        } else if (method.equals("GET")) {
            send(ex, 200, "application/json", uploadJson(u));
        } else if (method.equals("POST")) {
            awaitCommitGate();
            synchronized (this) {
                if (u.status.equals("normal")) {
                    if (dropCommitResponses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) lostReplies.add(u.id);
                    List<Map<String, Object>> target = u.table.partitions.get(u.spec);
                    if (target == null) throw new Refusal(404, "NoSuchPartition", "The partition was dropped: " + u.spec);
                    if (u.overwrite) target.clear();
                    u.blocks.values().forEach(target::addAll);
                    u.status = "closed";
                } else if (!u.status.equals("closed")) {
                    throw new Refusal(409, "StatusConflict", "upload session is " + u.status);
                }
            }
            if (lostReplies.contains(u.id)) throw new DroppedReply();
            send(ex, 200, "application/json", uploadJson(u));
        } else {
            throw new Refusal(400, "NotSupported", method + " on an upload session");
        }
    }

    private void awaitCommitGate() {
        CountDownLatch gate = commitGate;
        try {
            if (gate != null && !gate.await(5, TimeUnit.MINUTES)) throw new Refusal(500, "InternalServerError", "commit held too long");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(500, "InternalServerError", "interrupted");
        }
    }

    private synchronized String uploadJson(Upload u) {
        JsonObject o = new JsonObject();
        o.addProperty("UploadID", u.id);
        o.addProperty("Status", u.status);
        JsonArray blocks = new JsonArray();
        u.blocks.forEach((id, rows) -> {
            JsonObject b = new JsonObject();
            b.addProperty("BlockID", id);
            b.addProperty("RecordCount", rows.size());
            blocks.add(b);
        });
        o.add("UploadedBlockList", blocks);
        o.add("Schema", u.table.tunnelSchema());
        o.addProperty("MaxFieldSize", 8 * 1024 * 1024);
        o.addProperty("QuotaName", "");
        return o.toString();
    }

    private void upsert(HttpExchange ex, String project, String table, String method, Map<String, String> params, byte[] body)
            throws IOException {
        String id = params.get("upsertid");
        if (id == null) {
            if (!method.equals("POST")) throw new Refusal(400, "NotSupported", method + " without upsert id");
            check("Update", "projects/" + project + "/tables/" + table);
            Upsert u;
            synchronized (this) {
                EmulatedTable t = existingForTunnel(project, table);
                if (!t.transactional || t.primaryKey.isEmpty()) {
                    throw new Refusal(400, "InvalidParameter", "upsert needs a transactional table with a primary key: " + table);
                }
                u = new Upsert(t, partitionOf(t, params));
                upserts.put(u.id, u);
            }
            send(ex, 200, "application/json", upsertJson(u));
            return;
        }
        Upsert u;
        synchronized (this) {
            u = upserts.get(id);
        }
        if (u == null) throw new Refusal(404, "UpsertSessionNotFound", "upsert session not found: " + id);
        switch (method) {
            case "PUT" -> {
                TableSchema recordSchema = new TableSchema();
                u.table.schema.getColumns().forEach(recordSchema::addColumn);
                recordSchema.addColumn(new Column("__version", TypeInfoFactory.BIGINT));
                recordSchema.addColumn(new Column("__app_version", TypeInfoFactory.BIGINT));
                recordSchema.addColumn(new Column("__operation", TypeInfoFactory.TINYINT));
                recordSchema.addColumn(new Column("__key_cols", TypeInfoFactory.getArrayTypeInfo(TypeInfoFactory.BIGINT)));
                recordSchema.addColumn(new Column("__value_cols", TypeInfoFactory.getArrayTypeInfo(TypeInfoFactory.BIGINT)));
                List<Map<String, Object>> ops = decode(u.table, recordSchema, body, ex.getRequestHeaders().getFirst("Content-Encoding"));
                synchronized (this) {
                    for (Map<String, Object> op : ops) {
                        char operation = (char) ((Byte) op.remove("__operation")).byteValue();
                        op.keySet().removeIf(k -> k.startsWith("__"));
                        u.operations.add(Map.entry(op, operation));
                    }
                }
                send(ex, 200, "application/json", "");
            }
            case "GET" -> send(ex, 200, "application/json", upsertJson(u));
            case "POST" -> {
                synchronized (this) {
                    if (u.status.equals("normal")) {
                        if (!u.table.partitions.containsKey(u.spec)) throw new Refusal(404, "NoSuchPartition", u.spec);
                        u.operations.forEach(op -> u.table.apply(u.spec, op.getKey(), op.getValue()));
                        u.status = "committed";
                    }
                }
                send(ex, 200, "application/json", upsertJson(u));
            }
            case "DELETE" -> {
                synchronized (this) {
                    u.status = "aborted";
                }
                send(ex, 200, "application/json", upsertJson(u));
            }
            default -> throw new Refusal(400, "NotSupported", method + " on an upsert session");
        }
    }

    private synchronized String upsertJson(Upsert u) {
        JsonObject o = new JsonObject();
        o.addProperty("id", u.id);
        o.add("schema", u.table.tunnelSchema());
        JsonArray hash = new JsonArray();
        u.table.primaryKey.forEach(hash::add);
        o.add("hash_key", hash);
        o.addProperty("hasher", "default");
        JsonArray slots = new JsonArray();
        JsonObject slot = new JsonObject();
        slot.addProperty("slot_id", "1");
        JsonArray buckets = new JsonArray();
        buckets.add(0);
        slot.add("buckets", buckets);
        slot.addProperty("worker_addr", "127.0.0.1:" + server.getAddress().getPort());
        slots.add(slot);
        o.add("slots", slots);
        o.addProperty("status", u.status);
        o.addProperty("quota_name", "");
        return o.toString();
    }

    /** Reads a protobuf block with the SDK's own stream reader, in the compression the client announced. */
    private static List<Map<String, Object>> decode(EmulatedTable table, TableSchema schema, byte[] body, String encoding) {
        CompressOption option = switch (encoding == null ? "" : encoding) {
            case "" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);
            case "deflate" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0);
            case "x-snappy-framed" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_SNAPPY, 1, 0);
            case "x-lz4-frame" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_LZ4_FRAME, 1, 0);
            case "zstd" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZSTD, 1, 0);
            default -> throw new Refusal(400, "UnsupportedEncoding", "Content-Encoding " + encoding);
        };
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ProtobufRecordStreamReader reader = new ProtobufRecordStreamReader(schema, new java.io.ByteArrayInputStream(body), option)) {
            Record r;
            while ((r = reader.read()) != null) {
                Map<String, Object> row = table.toRow(r);
                for (int i = table.schema.getColumns().size(); i < schema.getColumns().size(); i++) {
                    row.put(schema.getColumn(i).getName(), r.get(i)); // upsert meta columns
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new Refusal(400, "MalformedDataStream", "cannot read the block: " + e.getMessage());
        }
        return rows;
    }

    // ---------------------------------------------------------------- helpers

    private synchronized EmulatedTable table(String project, String table) {
        Map<String, EmulatedTable> tables = projects.get(project);
        return tables == null ? null : tables.get(table.toLowerCase(Locale.ROOT));
    }

    private synchronized EmulatedTable required(String project, String table) {
        EmulatedTable t = table(project, table);
        if (t == null) throw new IllegalArgumentException("no table " + project + "." + table);
        return t;
    }

    private synchronized EmulatedTable existing(String project, String table) {
        EmulatedTable t = table(project, table);
        if (t == null) throw new Refusal(404, "NoSuchTable", "ODPS-0130131:Table not found - '" + project + "." + table + "'.");
        return t;
    }

    private synchronized EmulatedTable existingForTunnel(String project, String table) {
        if (!projects.containsKey(project)) throw new Refusal(404, "NoSuchProject", "The specified project does not exist: " + project);
        EmulatedTable t = table(project, table);
        if (t == null) throw new Refusal(404, "NoSuchTable", "The specified table name does not exist: " + table);
        return t;
    }

    private static String partitionOf(EmulatedTable t, Map<String, String> params) {
        String spec = params.containsKey("partition") ? normalize(params.get("partition")) : "";
        if (t.partitioned() && spec.isEmpty()) throw new Refusal(400, "MissingPartitionSpec", "You need to specify a partition spec");
        if (!t.partitioned() && !spec.isEmpty()) throw new Refusal(400, "InvalidPartitionSpec", "table is not partitioned");
        if (!t.partitions.containsKey(spec)) throw new Refusal(404, "NoSuchPartition", "The specified partition does not exist: " + spec);
        return spec;
    }

    /** {@code pt='a', b = 'c'} -> {@code pt=a,b=c}; empty stays empty. */
    static String normalize(String spec) {
        if (spec == null || spec.isBlank()) return "";
        return new PartitionSpec(spec).toString(false, false);
    }

    private static String specText(Map<String, String> spec) {
        StringBuilder sb = new StringBuilder();
        spec.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
