package io.kwsync.emulator.maxcompute;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tunnel's upload sessions ({@code /projects/P/tables/T?uploads|uploadid=...}): create (with or without overwrite),
 * block upload, reload and commit, within the limits of {@link EmulatorLimits}. A session lives from "normal" through
 * "committing" (when a committing period is configured) to "closed"; a block id uploaded again replaces the block;
 * a commit takes every uploaded block (the SDK compares its block list with the session's before it commits).
 */
final class UploadSessions {

    /** An uploaded block: its rows until the session is committed (then only their count is kept), its wire bytes. */
    private record Block(List<Map<String, Object>> rows, long bytes, int count) {
        Block(List<Map<String, Object>> rows, long bytes) {
            this(rows, bytes, rows.size());
        }
    }

    private static final class Upload {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final EmulatedTable table;
        final String spec;
        final boolean overwrite;
        final Instant expires;
        final Map<Long, Block> blocks = new LinkedHashMap<>();
        String status = "normal";
        Warehouse.Committing pending;

        Upload(EmulatedTable table, String spec, boolean overwrite, Instant expires) {
            this.table = table;
            this.spec = spec;
            this.overwrite = overwrite;
            this.expires = expires;
        }
    }

    private final Warehouse warehouse;
    private final Faults faults;
    private final Map<String, Upload> uploads = new HashMap<>();

    UploadSessions(Warehouse warehouse, Faults faults) {
        this.warehouse = warehouse;
        this.faults = faults;
    }

    void handle(Call call, String project, String table) throws IOException {
        if (call.method.equals("POST") && call.params.containsKey("uploads")) {
            create(call, project, table);
            return;
        }
        Upload u;
        synchronized (warehouse) {
            u = uploads.get(call.params.get("uploadid"));
        }
        if (u == null) throw Refusal.noSuchUpload();
        switch (call.method) {
            case "PUT" -> putBlock(call, u);
            case "GET" -> reload(call, u);
            case "POST" -> commit(call, u);
            default -> throw new Refusal(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
    }

    private void create(Call call, String project, String table) throws IOException {
        warehouse.check("Update", "projects/" + project + "/tables/" + table);
        Upload u;
        synchronized (warehouse) {
            EmulatedTable t = warehouse.existingForTunnel(project, table);
            String spec = Warehouse.partitionOf(t, call.params);
            warehouse.sessionCreated(t, spec, SessionKind.UPLOAD);
            u = new Upload(t, spec, "true".equals(call.params.get("overwrite")), warehouse.now().plus(warehouse.limits.sessionLifetime()));
            uploads.put(u.id, u);
        }
        call.reply(201, "application/json", json(u, true));
    }

    private void putBlock(Call call, Upload u) throws IOException {
        long blockId = blockId(call.params.get("blockid"));
        synchronized (warehouse) {
            requireWritable(u);
        }
        if (call.bodyTooLong) throw Refusal.tooBig(warehouse.limits.maxBlockBytes());
        List<Map<String, Object>> rows = Blocks.decode(u.table, u.table.schema, call.body, call.header("Content-Encoding"));
        faults.checkBlockUpload();
        synchronized (warehouse) {
            requireWritable(u);
            u.blocks.put(blockId, new Block(rows, call.body.length));
            warehouse.accounting.uploaded(u.table, u.spec, call.body.length, rows.size());
        }
        faults.afterAccept(TunnelCall.BLOCK_UPLOAD);
        call.reply(200, "application/json", "");
    }

    private long blockId(String text) {
        int max = warehouse.limits.maxBlocksPerSession();
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Refusal(400, "InvalidBlockID", "The specified block id is not valid: " + text);
        }
        if (id < 0 || id >= max) throw Refusal.invalidBlockId(id, max);
        return id;
    }

    /** Blocks go only into a live, uncommitted session. */
    private void requireWritable(Upload u) {
        if (u.status.equals("normal") && !warehouse.now().isBefore(u.expires)) throw Refusal.expired("upload");
        if (!u.status.equals("normal")) throw Refusal.statusConflict("upload", u.status);
    }

    private void reload(Call call, Upload u) throws IOException {
        String body;
        synchronized (warehouse) {
            if (u.status.equals("normal") && !warehouse.now().isBefore(u.expires)) throw Refusal.expired("upload");
            warehouse.polled(u.pending);
            body = json(u, !"false".equals(call.params.get("getblockid")));
        }
        call.reply(200, "application/json", body);
    }

    private void commit(Call call, Upload u) throws IOException {
        faults.awaitCommitGate();
        String body;
        synchronized (warehouse) {
            switch (u.status) {
                case "normal" -> {
                    requireWritable(u);
                    if (!u.table.partitions.containsKey(u.spec)) {
                        throw new Refusal(404, "NoSuchPartition", "The specified partition does not exist: " + u.spec);
                    }
                    faults.markCommitted(u.id);
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
                case "closed" -> {
                    // asked again (a retry after a lost answer): the session is committed, say so
                }
                default -> throw Refusal.statusConflict("upload", u.status);
            }
            body = json(u, true);
        }
        faults.checkCommitReply(u.id);
        faults.afterCommit(TunnelCall.UPLOAD_COMMIT, u.id);
        call.reply(200, "application/json", body);
    }

    /** The commit takes effect: the blocks' rows become the partition's (replacing it for an overwrite). */
    private void publish(Upload u) {
        List<Map<String, Object>> target = u.table.partitions.get(u.spec);
        int files = 0;
        long bytes = 0;
        long records = 0;
        if (target != null) {
            u.table.rowsReplaced(u.spec);
            if (u.overwrite) target.clear();
            for (Block b : u.blocks.values()) {
                if (warehouse.keepRows) target.addAll(b.rows());
                if (b.count() > 0) files++;
                bytes += b.bytes();
                records += b.rows().size();
            }
        }
        u.status = "closed";
        u.pending = null;
        warehouse.accounting.committed(u.table, u.spec, files, bytes, records);
        if (target != null) {
            List<Map<String, Object>> visible = new ArrayList<>();
            u.blocks.values().forEach(b -> visible.addAll(b.rows()));
            warehouse.visible(u.table, u.spec, visible);
        }
        // the partition holds the rows now; a closed session keeps only what its status answers need
        u.blocks.replaceAll((id, b) -> new Block(List.of(), b.bytes(), b.count()));
    }

    /** Forgets every session not committed, as the service does some time after they expire. */
    void forgetUncommitted() {
        synchronized (warehouse) {
            uploads.values().removeIf(u -> u.status.equals("normal"));
        }
    }

    /** The session as the SDK's UploadSession.loadFromJson reads it. */
    private String json(Upload u, boolean withBlocks) {
        JsonObject o = new JsonObject();
        o.addProperty("UploadID", u.id);
        o.addProperty("Status", u.status);
        if (withBlocks) {
            JsonArray blocks = new JsonArray();
            u.blocks.forEach((id, block) -> {
                JsonObject b = new JsonObject();
                b.addProperty("BlockID", id);
                b.addProperty("RecordCount", block.count());
                blocks.add(b);
            });
            o.add("UploadedBlockList", blocks);
        }
        o.add("Schema", u.table.tunnelSchema());
        o.addProperty("MaxFieldSize", warehouse.limits.maxFieldSize());
        o.addProperty("QuotaName", "");
        return o.toString();
    }
}
