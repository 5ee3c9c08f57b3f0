package io.kwsync.emulator.maxcompute;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;

/**
 * Read-only pages about the emulator's state that MaxCompute itself does not have, for the dev scripts and the
 * {@code read} command (loopback only, no signature): {@code GET /emulator/tables?project=P} lists the tables with
 * their partitions and row counts, {@code GET /emulator/counters?project=P&table=T} gives the tunnel counters per
 * partition ({@link PartitionCounters}). Rows themselves are read through the SDK's download sessions.
 */
final class ReadBack {

    private final Warehouse warehouse;

    ReadBack(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    void handle(Call call, String page) throws IOException {
        if (!call.method.equals("GET")) throw new Refusal(405, "MethodNotAllowed", "read-back pages answer GET only");
        String project = call.params.get("project");
        if (project == null || !warehouse.hasProject(project)) {
            throw new Refusal(404, "NoSuchProject", "give ?project= with one of " + warehouse.projectNames());
        }
        JsonObject out = new JsonObject();
        synchronized (warehouse) {
            warehouse.settle();
            switch (page) {
                case "tables" -> out.add("tables", tables(project));
                case "counters" -> out.add("partitions", counters(project, call.params.get("table")));
                default -> throw new Refusal(404, "NoSuchObject", "read-back pages: /emulator/tables, /emulator/counters");
            }
        }
        call.reply(200, "application/json", out.toString());
    }

    private JsonArray tables(String project) {
        JsonArray tables = new JsonArray();
        for (EmulatedTable t : warehouse.tables(project)) {
            JsonObject o = new JsonObject();
            o.addProperty("name", t.name);
            JsonObject parts = new JsonObject();
            t.partitions.forEach((spec, rows) -> parts.addProperty(spec, rows.size()));
            o.add("partitions", parts);
            tables.add(o);
        }
        return tables;
    }

    private JsonArray counters(String project, String table) {
        if (table == null || warehouse.table(project, table) == null) {
            throw new Refusal(404, "NoSuchTable", "give ?table= with a table of " + project);
        }
        JsonArray out = new JsonArray();
        warehouse.accounting.of(project, table).values().forEach(c -> {
            JsonObject o = new JsonObject();
            o.addProperty("partition", c.partition());
            o.addProperty("uploadSessions", c.uploadSessions());
            o.addProperty("upsertSessions", c.upsertSessions());
            o.addProperty("streamSessions", c.streamSessions());
            o.addProperty("commits", c.commits());
            o.addProperty("committedFiles", c.committedFiles());
            o.addProperty("blocksUploaded", c.blocksUploaded());
            o.addProperty("uploadedBytes", c.uploadedBytes());
            o.addProperty("committedBytes", c.committedBytes());
            o.addProperty("committedRecords", c.committedRecords());
            c.shortestSessionInterval().ifPresent(d -> o.addProperty("shortestSessionIntervalMillis", d.toMillis()));
            out.add(o);
        });
        return out;
    }
}
