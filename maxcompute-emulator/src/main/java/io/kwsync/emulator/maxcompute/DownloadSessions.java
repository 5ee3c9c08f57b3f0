package io.kwsync.emulator.maxcompute;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tunnel's download sessions ({@code /projects/P/tables/T?downloads|downloadid=...}), so that committed rows can be
 * read back through the SDK ({@code TableTunnel.createDownloadSession} and {@code openRecordReader}). A session reads
 * the partition as it was when the session was created. Records go out uncompressed with every column; a request for
 * some columns only is refused.
 */
final class DownloadSessions {

    private static final Pattern RANGE = Pattern.compile("\\((\\d+),(\\d+)\\)");

    private record Download(String id, EmulatedTable table, String spec, List<Map<String, Object>> rows, Instant expires) {
    }

    private final Warehouse warehouse;
    private final Map<String, Download> downloads = new HashMap<>();

    DownloadSessions(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    void handle(Call call, String project, String table) throws IOException {
        if (call.method.equals("POST") && call.params.containsKey("downloads")) {
            create(call, project, table);
            return;
        }
        if (!call.method.equals("GET")) throw new Refusal(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        Download d;
        synchronized (warehouse) {
            d = downloads.get(call.params.get("downloadid"));
            if (d != null && !warehouse.now().isBefore(d.expires())) throw Refusal.expired("download");
        }
        if (d == null) throw Refusal.noSuchDownload();
        if (call.params.containsKey("data")) data(call, d);
        else call.reply(200, "application/json", json(d));
    }

    private void create(Call call, String project, String table) throws IOException {
        Download d;
        synchronized (warehouse) {
            warehouse.settle();
            EmulatedTable t = warehouse.existingForTunnel(project, table);
            String spec = Warehouse.partitionOf(t, call.params);
            List<Map<String, Object>> rows = new ArrayList<>();
            t.partitions.get(spec).forEach(r -> rows.add(new LinkedHashMap<>(r)));
            d = new Download(UUID.randomUUID().toString().replace("-", ""), t, spec, rows,
                    warehouse.now().plus(warehouse.limits.sessionLifetime()));
            downloads.put(d.id(), d);
        }
        call.reply(201, "application/json", json(d));
    }

    private void data(Call call, Download d) throws IOException {
        if (call.params.containsKey("columns")) throw Refusal.notSupported("downloads of some columns only");
        String range = call.params.get("rowrange");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) throw new Refusal(400, "InvalidRowRange", "The specified row range is not valid: " + range);
        long start = Long.parseLong(m.group(1));
        long count = Long.parseLong(m.group(2));
        if (start > d.rows().size() || count > d.rows().size() - start) {
            throw new Refusal(400, "InvalidRowRange", "The specified row range is not valid: " + range + " of " + d.rows().size());
        }
        byte[] body = Blocks.encode(d.table(), d.rows().subList((int) start, (int) (start + count)));
        call.reply(200, "application/octet-stream", body);
    }

    private static String json(Download d) {
        JsonObject o = new JsonObject();
        o.addProperty("DownloadID", d.id());
        o.addProperty("Status", "normal");
        o.addProperty("RecordCount", d.rows().size());
        o.add("Schema", d.table().tunnelSchema());
        o.addProperty("QuotaName", "");
        return o.toString();
    }
}
