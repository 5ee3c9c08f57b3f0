package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfoFactory;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tunnel's upsert sessions on transactional primary-key tables ({@code /projects/P/tables/T/upserts}): create,
 * bucket upload (an upsert stream's flush), reload, commit and abort. The emulator gives every session one slot with
 * one bucket. A commit says "committing" while {@link EmulatorLimits} asks so; the SDK repeats the commit request
 * until it reads "committed". Operations apply in arrival order: an upsert replaces the row with the same key, a
 * delete removes it.
 */
final class UpsertSessions {

    private static final class Upsert {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final EmulatedTable table;
        final String spec;
        final Instant expires;
        final List<Map.Entry<Map<String, Object>, Character>> operations = new ArrayList<>();
        long bytes;
        String status = "normal";
        Warehouse.Committing pending;

        Upsert(EmulatedTable table, String spec, Instant expires) {
            this.table = table;
            this.spec = spec;
            this.expires = expires;
        }
    }

    private final Warehouse warehouse;
    private final Faults faults;
    private final String workerAddress;
    private final Map<String, Upsert> upserts = new HashMap<>();

    /** @param workerAddress the {@code host:port} the sessions name as their slot's worker */
    UpsertSessions(Warehouse warehouse, Faults faults, String workerAddress) {
        this.warehouse = warehouse;
        this.faults = faults;
        this.workerAddress = workerAddress;
    }

    void handle(Call call, String project, String table) throws IOException {
        String id = call.params.get("upsertid");
        if (id == null) {
            if (!call.method.equals("POST")) throw Refusal.notSupported(call.method + " without upsert id");
            create(call, project, table);
            return;
        }
        Upsert u;
        synchronized (warehouse) {
            u = upserts.get(id);
        }
        if (u == null) throw new Refusal(404, "UpsertSessionNotFound", "upsert session not found: " + id);
        switch (call.method) {
            case "PUT" -> flush(call, u);
            case "GET" -> reply(call, u, true);
            case "POST" -> commit(call, u);
            case "DELETE" -> {
                synchronized (warehouse) {
                    if (u.status.equals("normal")) u.status = "aborted";
                }
                reply(call, u, false);
            }
            default -> throw new Refusal(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
    }

    private void create(Call call, String project, String table) throws IOException {
        warehouse.check("Update", "projects/" + project + "/tables/" + table);
        Upsert u;
        synchronized (warehouse) {
            EmulatedTable t = warehouse.existingForTunnel(project, table);
            if (!t.transactional || t.primaryKey.isEmpty()) {
                throw new Refusal(400, "InvalidParameter", "upsert needs a transactional table with a primary key: " + table);
            }
            String spec = Warehouse.partitionOf(t, call.params);
            warehouse.sessionCreated(t, spec, SessionKind.UPSERT);
            u = new Upsert(t, spec, warehouse.now().plus(lifetime(call.params.get("lifecycle"))));
            upserts.put(u.id, u);
        }
        reply(call, u, false);
    }

    /** The session's lifetime: the {@code lifecycle} the client asked for (1 to 24 hours), within the emulator's limit. */
    private Duration lifetime(String lifecycle) {
        Duration limit = warehouse.limits.sessionLifetime();
        if (lifecycle == null) return limit;
        Duration asked = Duration.ofHours(Refusal.number("lifecycle", lifecycle));
        return asked.compareTo(limit) < 0 ? asked : limit;
    }

    private void flush(Call call, Upsert u) throws IOException {
        synchronized (warehouse) {
            requireWritable(u);
        }
        if (!"0".equals(call.params.get("bucketid"))) {
            throw new Refusal(400, "InvalidArgument", "Invalid argument. The session has one bucket, 0; got " + call.params.get("bucketid"));
        }
        if (call.bodyTooLong) throw Refusal.tooBig(warehouse.limits.maxBlockBytes());
        List<Map<String, Object>> ops = Blocks.decode(u.table, recordSchema(u.table), call.body, call.header("Content-Encoding"));
        String count = call.params.get("record_count");
        if (count != null && Refusal.number("record_count", count) != ops.size()) {
            throw Refusal.malformed("record_count " + count + " but the stream holds " + ops.size() + " records");
        }
        synchronized (warehouse) {
            requireWritable(u);
            for (Map<String, Object> op : ops) {
                char operation = (char) ((Byte) op.remove("__operation")).byteValue();
                op.keySet().removeIf(k -> k.startsWith("__"));
                u.operations.add(Map.entry(op, operation));
            }
            u.bytes += call.body.length;
            warehouse.accounting.uploaded(u.table, u.spec, call.body.length, ops.size());
        }
        faults.afterAccept(TunnelCall.UPSERT_FLUSH);
        call.reply(200, "application/json", "");
    }

    /** The table's columns followed by the meta columns the SDK's upsert streams write. */
    private static TableSchema recordSchema(EmulatedTable t) {
        TableSchema s = new TableSchema();
        t.schema.getColumns().forEach(s::addColumn);
        s.addColumn(new Column("__version", TypeInfoFactory.BIGINT));
        s.addColumn(new Column("__app_version", TypeInfoFactory.BIGINT));
        s.addColumn(new Column("__operation", TypeInfoFactory.TINYINT));
        s.addColumn(new Column("__key_cols", TypeInfoFactory.getArrayTypeInfo(TypeInfoFactory.BIGINT)));
        s.addColumn(new Column("__value_cols", TypeInfoFactory.getArrayTypeInfo(TypeInfoFactory.BIGINT)));
        return s;
    }

    private void requireWritable(Upsert u) {
        if (u.status.equals("normal") && !warehouse.now().isBefore(u.expires)) throw Refusal.expired("upsert");
        if (!u.status.equals("normal")) throw Refusal.statusConflict("upsert", u.status);
    }

    private void commit(Call call, Upsert u) throws IOException {
        synchronized (warehouse) {
            switch (u.status) {
                case "normal" -> {
                    requireWritable(u);
                    if (!u.table.partitions.containsKey(u.spec)) throw new Refusal(404, "NoSuchPartition", u.spec);
                    u.status = "committing";
                    u.pending = new Warehouse.Committing(warehouse.now().plus(warehouse.limits.commitDelay()),
                            warehouse.limits.committingPolls()) {
                        @Override
                        void apply() {
                            publish(u);
                        }
                    };
                    warehouse.commit(u.pending);
                }
                case "committing" -> warehouse.polled(u.pending);
                case "committed" -> {
                    // asked again: say committed
                }
                default -> throw Refusal.statusConflict("upsert", u.status);
            }
        }
        faults.afterCommit(TunnelCall.UPSERT_COMMIT, u.id);
        reply(call, u, false);
    }

    private void publish(Upsert u) {
        boolean exists = u.table.partitions.containsKey(u.spec);
        if (exists && warehouse.keepRows) u.operations.forEach(op -> u.table.apply(u.spec, op.getKey(), op.getValue()));
        u.status = "committed";
        u.pending = null;
        warehouse.accounting.committed(u.table, u.spec, u.operations.isEmpty() ? 0 : 1, u.bytes, u.operations.size());
        if (exists) {
            List<Map<String, Object>> visible = new ArrayList<>(u.operations.size());
            u.operations.forEach(op -> visible.add(op.getKey()));
            warehouse.visible(u.table, u.spec, visible);
        }
        u.operations.clear(); // applied: a committed session answers its status only
    }

    private void reply(Call call, Upsert u, boolean poll) throws IOException {
        String body;
        synchronized (warehouse) {
            if (poll) {
                if (u.status.equals("normal") && !warehouse.now().isBefore(u.expires)) throw Refusal.expired("upsert");
                warehouse.polled(u.pending);
            }
            body = json(u);
        }
        call.reply(200, "application/json", body);
    }

    /** The session as the SDK's UpsertSessionImpl reads it. */
    private String json(Upsert u) {
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
        slot.addProperty("worker_addr", workerAddress);
        slots.add(slot);
        o.add("slots", slots);
        o.addProperty("status", u.status);
        o.addProperty("quota_name", "");
        return o.toString();
    }
}
