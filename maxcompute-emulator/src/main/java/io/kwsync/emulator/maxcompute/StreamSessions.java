package io.kwsync.emulator.maxcompute;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The streaming tunnel's sessions ({@code /projects/P/tables/T/streams}, the SDK's {@code StreamUploadSession}):
 * create (optionally creating the partition), reload, and record-pack uploads whose rows are visible as soon as the
 * upload is answered; there is no commit. Each upload counts as one committed file, since the service writes one per
 * flush (and merges them later on its own). One slot.
 */
final class StreamSessions {

    private static final class Stream {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final EmulatedTable table;
        final String spec;
        final Instant expires;
        long batches;

        Stream(EmulatedTable table, String spec, Instant expires) {
            this.table = table;
            this.spec = spec;
            this.expires = expires;
        }
    }

    private final Warehouse warehouse;
    private final Faults faults;
    private final String workerAddress;
    private final Map<String, Stream> streams = new HashMap<>();

    StreamSessions(Warehouse warehouse, Faults faults, String workerAddress) {
        this.warehouse = warehouse;
        this.faults = faults;
        this.workerAddress = workerAddress;
    }

    void handle(Call call, String project, String table) throws IOException {
        String id = call.params.get("uploadid");
        if (id == null) {
            if (!call.method.equals("POST")) throw Refusal.notSupported(call.method + " without upload id");
            create(call, project, table);
            return;
        }
        Stream s;
        synchronized (warehouse) {
            s = streams.get(id);
            if (s != null && !warehouse.now().isBefore(s.expires)) throw Refusal.expired("stream upload");
        }
        if (s == null) throw Refusal.noSuchUpload();
        switch (call.method) {
            case "PUT" -> write(call, s);
            case "GET" -> call.reply(200, "application/json", json(s));
            default -> throw new Refusal(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
    }

    private void create(Call call, String project, String table) throws IOException {
        warehouse.check("Update", "projects/" + project + "/tables/" + table);
        Stream s;
        synchronized (warehouse) {
            EmulatedTable t = warehouse.existingForTunnel(project, table);
            String spec = t.canonical(call.params.get("partition"));
            if (call.params.containsKey("create_partition") && t.partitioned() && !spec.isEmpty()) {
                t.partitions.putIfAbsent(spec, new ArrayList<>());
            }
            spec = Warehouse.partitionOf(t, call.params);
            warehouse.sessionCreated(t, spec, SessionKind.STREAM);
            s = new Stream(t, spec, warehouse.now().plus(warehouse.limits.sessionLifetime()));
            streams.put(s.id, s);
        }
        call.reply(200, "application/json", json(s));
    }

    private void write(Call call, Stream s) throws IOException {
        if (call.bodyTooLong) throw Refusal.tooBig(warehouse.limits.maxBlockBytes());
        List<Map<String, Object>> rows = Blocks.decode(s.table, s.table.schema, call.body, call.header("Content-Encoding"));
        String count = call.params.get("record_count");
        if (count != null && Refusal.number("record_count", count) != rows.size()) {
            throw Refusal.malformed("record_count " + count + " but the stream holds " + rows.size() + " records");
        }
        long batch;
        synchronized (warehouse) {
            List<Map<String, Object>> target = s.table.partitions.get(s.spec);
            if (target == null) throw new Refusal(404, "NoSuchPartition", "The specified partition does not exist: " + s.spec);
            if (warehouse.keepRows) target.addAll(rows);
            s.table.rowsReplaced(s.spec);
            batch = ++s.batches;
            warehouse.accounting.uploaded(s.table, s.spec, call.body.length, rows.size());
            warehouse.accounting.flushed(s.table, s.spec, call.body.length, rows.size());
            warehouse.visible(s.table, s.spec, rows);
        }
        faults.afterAccept(TunnelCall.STREAM_FLUSH);
        call.responseHeader("odps-tunnel-routed-server", workerAddress);
        call.responseHeader("odps-tunnel-slot-num", "1");
        call.responseHeader("odps-tunnel-batch-id", Long.toString(batch));
        call.reply(200, "application/json", "");
    }

    /** The session as the SDK's StreamSessionBase reads it. */
    private String json(Stream s) {
        JsonObject o = new JsonObject();
        o.addProperty("session_name", s.id);
        o.add("schema", s.table.tunnelSchema());
        o.addProperty("quota_name", "");
        JsonArray slots = new JsonArray();
        JsonArray slot = new JsonArray();
        slot.add("1");
        slot.add(workerAddress);
        slots.add(slot);
        o.add("slots", slots);
        o.addProperty("status", "normal");
        synchronized (warehouse) {
            o.addProperty("last_batch_id", Long.toString(s.batches));
        }
        return o.toString();
    }
}
