package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.Varchar;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's data as a JSON file, so that a standalone emulator keeps its tables across restarts and a demo can
 * start from prepared data: {@code {"projects": [{"name": P, "tables": [{"ddl": "CREATE TABLE ...", "partitions":
 * {"pt=1": [{"col": value, ...}]}}]}]}}. Values are JSON numbers, booleans and strings; BINARY is Base64, DECIMAL a
 * string, DATE / DATETIME / TIMESTAMP / TIMESTAMP_NTZ ISO-8601 text. Tables with ARRAY, MAP, STRUCT, JSON or interval
 * columns are saved without rows (their values are not converted).
 */
final class Snapshot {

    private Snapshot() {
    }

    static void write(Warehouse warehouse, Path file) throws IOException {
        JsonArray projects = new JsonArray();
        for (String p : warehouse.projectNames()) {
            JsonObject project = new JsonObject();
            project.addProperty("name", p);
            JsonArray tables = new JsonArray();
            for (EmulatedTable t : warehouse.tables(p)) {
                JsonObject table = new JsonObject();
                table.addProperty("ddl", t.ddl());
                JsonObject partitions = new JsonObject();
                boolean convertible = t.schema.getColumns().stream().allMatch(c -> convertible(c.getTypeInfo().getOdpsType()));
                t.partitions.forEach((spec, rows) -> {
                    JsonArray out = new JsonArray();
                    if (convertible) rows.forEach(r -> out.add(toJson(t, r)));
                    partitions.add(spec, out);
                });
                table.add("partitions", partitions);
                tables.add(table);
            }
            project.add("tables", tables);
            projects.add(project);
        }
        JsonObject root = new JsonObject();
        root.add("projects", projects);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void read(Warehouse warehouse, Path file) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        for (JsonElement pe : root.getAsJsonArray("projects")) {
            JsonObject project = pe.getAsJsonObject();
            String p = project.get("name").getAsString();
            warehouse.createProject(p);
            for (JsonElement te : project.getAsJsonArray("tables")) {
                JsonObject table = te.getAsJsonObject();
                String ddl = table.get("ddl").getAsString();
                String failure = warehouse.run(p, ddl, false);
                if (failure != null) throw new IOException(file + ": cannot create a table: " + failure);
                EmulatedTable t = warehouse.table(p, ((EmulatorSql.CreateTable) EmulatorSql.parse(p, ddl)).table());
                for (Map.Entry<String, JsonElement> part : table.getAsJsonObject("partitions").entrySet()) {
                    String spec = t.canonical(part.getKey());
                    List<Map<String, Object>> rows = t.partitions.computeIfAbsent(spec, k -> new ArrayList<>());
                    for (JsonElement row : part.getValue().getAsJsonArray()) rows.add(fromJson(t, row.getAsJsonObject()));
                    t.rowsReplaced(spec);
                }
            }
        }
    }

    private static boolean convertible(OdpsType type) {
        return switch (type) {
            case ARRAY, MAP, STRUCT, JSON, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH, UNKNOWN -> false;
            default -> true;
        };
    }

    private static JsonObject toJson(EmulatedTable t, Map<String, Object> row) {
        JsonObject o = new JsonObject();
        for (Column c : t.schema.getColumns()) o.add(c.getName(), toJson(row.get(c.getName())));
        return o;
    }

    private static JsonElement toJson(Object v) {
        if (v == null) return JsonNull.INSTANCE;
        if (v instanceof Boolean b) return new JsonPrimitive(b);
        if (v instanceof BigDecimal d) return new JsonPrimitive(d.toPlainString());
        if (v instanceof Number n) return new JsonPrimitive(n);
        if (v instanceof byte[] b) return new JsonPrimitive(Base64.getEncoder().encodeToString(b));
        if (v instanceof ZonedDateTime z) return new JsonPrimitive(z.toInstant().toString());
        if (v instanceof Date d) return new JsonPrimitive(d.toInstant().toString());
        return new JsonPrimitive(v.toString());
    }

    private static Map<String, Object> fromJson(EmulatedTable t, JsonObject o) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column c : t.schema.getColumns()) {
            JsonElement v = o.get(c.getName());
            row.put(c.getName(), v == null || v.isJsonNull() ? null : value(c.getTypeInfo().getOdpsType(), v));
        }
        return row;
    }

    /** The Java value the SDK's stream reader gives for a column of this type (see {@link EmulatedTable#toRow}). */
    private static Object value(OdpsType type, JsonElement v) {
        return switch (type) {
            case BIGINT -> v.getAsLong();
            case INT -> v.getAsInt();
            case SMALLINT -> v.getAsShort();
            case TINYINT -> v.getAsByte();
            case DOUBLE -> v.getAsDouble();
            case FLOAT -> v.getAsFloat();
            case BOOLEAN -> v.getAsBoolean();
            case DECIMAL -> new BigDecimal(v.getAsString());
            case BINARY -> Base64.getDecoder().decode(v.getAsString());
            case CHAR -> new Char(v.getAsString());
            case VARCHAR -> new Varchar(v.getAsString());
            case DATE -> LocalDate.parse(v.getAsString());
            case DATETIME -> Instant.parse(v.getAsString()).atZone(ZoneId.systemDefault());
            case TIMESTAMP -> Instant.parse(v.getAsString());
            case TIMESTAMP_NTZ -> LocalDateTime.parse(v.getAsString());
            default -> v.getAsString();
        };
    }
}
