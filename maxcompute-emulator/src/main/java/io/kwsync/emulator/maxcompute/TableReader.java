package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a table back the way any MaxCompute client would: partitions through the REST API, rows through the SDK's
 * tunnel download sessions. Works against MaxCompute itself too, except {@link #counters}, which asks the emulator's
 * read-back page.
 */
final class TableReader {

    private final Odps odps;
    private final String endpoint;
    private final String project;

    TableReader(String endpoint, String project, String accessId, String accessKey) {
        this.endpoint = endpoint;
        this.project = project;
        odps = new Odps(new AliyunAccount(accessId, accessKey));
        odps.setEndpoint(endpoint);
        odps.setDefaultProject(project);
        odps.getRestClient().setRetryTimes(0);
    }

    /** Runs one statement as a SQL instance and waits for it; a refusal is thrown with the service's message. */
    void run(String sql) throws OdpsException {
        com.aliyun.odps.task.SQLTask.run(odps, project, sql.trim().endsWith(";") ? sql : sql + ";", "KwsyncEmulatorSql", null, null)
                .waitForSuccess();
    }

    /** Partition spec ("" when unpartitioned) -> rows (column -> value), at most {@code limit} rows per partition. */
    Map<String, List<Map<String, Object>>> rows(String table, String partition, int limit) throws OdpsException, IOException {
        Table t = odps.tables().get(project, table);
        List<PartitionSpec> specs = new ArrayList<>();
        if (partition != null) specs.add(new PartitionSpec(partition));
        else if (t.isPartitioned()) specs.addAll(t.getPartitionSpecs());
        else specs.add(null);
        TableTunnel tunnel = new TableTunnel(odps);
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (PartitionSpec spec : specs) {
            TableTunnel.DownloadSession s = spec == null ? tunnel.createDownloadSession(project, table)
                    : tunnel.createDownloadSession(project, table, spec);
            List<Map<String, Object>> rows = new ArrayList<>();
            long n = Math.min(s.getRecordCount(), limit);
            if (n > 0) {
                try (TunnelRecordReader reader = s.openRecordReader(0, n)) {
                    Record r;
                    while ((r = reader.read()) != null) rows.add(row(s.getSchema().getColumns(), r));
                }
            }
            out.put(spec == null ? "" : spec.toString(false, false), rows);
        }
        return out;
    }

    private static Map<String, Object> row(List<Column> columns, Record r) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Object v = r.get(i);
            if (v instanceof byte[] b) v = new String(b, StandardCharsets.UTF_8);
            if (v instanceof Binary b) v = "0x" + java.util.HexFormat.of().formatHex(b.data());
            row.put(columns.get(i).getName(), v);
        }
        return row;
    }

    /** The emulator's tunnel counters of the table, as its read-back page gives them (JSON). */
    JsonObject counters(String table) throws IOException, InterruptedException {
        String base = endpoint.replaceFirst("/api/?$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/emulator/counters?project="
                + URLEncoder.encode(project, StandardCharsets.UTF_8) + "&table=" + URLEncoder.encode(table, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException("the emulator's counters page answered " + response.statusCode());
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    void print(String table, String partition, int limit, PrintStream out) throws Exception {
        Map<String, List<Map<String, Object>>> rows = rows(table, partition, limit);
        out.printf(Locale.ROOT, "== %s.%s: %d partition(s) ==%n", project, table, rows.size());
        rows.forEach((spec, list) -> {
            out.printf(Locale.ROOT, "partition %s: %d row(s)%s%n", spec.isEmpty() ? "(none)" : spec, list.size(),
                    list.size() == limit ? " (limit reached)" : "");
            for (Map<String, Object> r : list) {
                List<String> cells = new ArrayList<>();
                r.forEach((k, v) -> cells.add(k + "=" + v));
                out.println("  " + String.join(" | ", cells));
            }
        });
        JsonObject counters;
        try {
            counters = counters(table);
        } catch (IOException e) {
            out.println("(no tunnel counters: " + e.getMessage() + ")");
            return;
        }
        out.println("tunnel counters:");
        for (JsonElement e : counters.getAsJsonArray("partitions")) {
            JsonObject c = e.getAsJsonObject();
            long files = c.get("committedFiles").getAsLong();
            out.printf(Locale.ROOT, "  %s: %d upload + %d upsert + %d stream session(s), %d commit(s), %d file(s) of %,d bytes on average%s%n",
                    c.get("partition").getAsString().isEmpty() ? "(none)" : c.get("partition").getAsString(),
                    c.get("uploadSessions").getAsLong(), c.get("upsertSessions").getAsLong(), c.get("streamSessions").getAsLong(),
                    c.get("commits").getAsLong(), files,
                    files == 0 ? 0 : c.get("committedBytes").getAsLong() / files,
                    c.has("shortestSessionIntervalMillis") ? ", shortest time between sessions "
                            + c.get("shortestSessionIntervalMillis").getAsLong() + " ms" : "");
        }
    }
}
