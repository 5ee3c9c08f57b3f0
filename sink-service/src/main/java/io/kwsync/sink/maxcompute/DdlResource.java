package io.kwsync.sink.maxcompute;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * "Generate Destination Table Schema": {@code GET /api/maxcompute/ddl?topic=T} returns the CREATE TABLE statement for
 * a topic: the table named after it, the six built-in Kafka fields (or, with {@code layout=key-value}, the streaming
 * connector's columns), extra columns parsed from JSON values ({@code columns=a.a1,c[1],amount:DECIMAL(18,2)}), the
 * partition key columns ({@code partitions=ds,hh}) and a lifecycle of 100 years unless {@code lifecycle} says otherwise.
 * With {@code primaryKey=topic,partition,offset} (columns of the table, any case) the table is transactional with that
 * primary key, so that the sink can upsert into it.
 */
@Path("/api/maxcompute/ddl")
public class DdlResource {

    private final MaxComputeConfig config;

    public DdlResource(MaxComputeConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String ddl(@QueryParam("topic") String topic, @QueryParam("table") String table,
                      @QueryParam("layout") @DefaultValue("built-in") String layout, @QueryParam("columns") String columns,
                      @QueryParam("partitions") String partitions, @QueryParam("lifecycle") Long lifecycle,
                      @QueryParam("primaryKey") String primaryKey) {
        if ((topic == null || topic.isBlank()) && (table == null || table.isBlank())) throw bad("topic is required, e.g. ?topic=orders");
        String name = table != null && !table.isBlank() ? table : MaxComputeDdl.tableName(topic);
        String[] parts = name.split("\\.", -1);
        if ((parts.length != 1 && parts.length != 3) || !java.util.Arrays.stream(parts).allMatch(MaxComputeDdl::isIdentifier)) {
            throw bad("'" + name + "' is not a table name: use table or project.schema.table");
        }
        List<MaxComputeDdl.ColumnDef> defs = new ArrayList<>(switch (layout) {
            case "built-in" -> MaxComputeDdl.BUILT_IN;
            case "key-value" -> MaxComputeDdl.KEY_VALUE;
            default -> throw bad("layout must be built-in or key-value");
        });
        for (String c : split(columns)) {
            String problem = MaxComputeDdl.columnProblem(c);
            if (problem != null) throw bad(problem);
            defs.add(MaxComputeDdl.column(c));
        }
        List<String> partitionColumns = partitions == null ? config.createTablePartitionColumns() : split(partitions);
        for (String p : partitionColumns) if (!MaxComputeDdl.isIdentifier(p)) throw bad("'" + p + "' is not a partition column name");
        List<String> key = split(primaryKey);
        String problem = MaxComputeDdl.keyProblem(defs, key, partitionColumns);
        if (problem != null) throw bad(problem);
        long days = lifecycle == null ? config.lifecycle() : lifecycle;
        if (days < 1) throw bad("lifecycle must be at least 1 day");
        String statement = parts.length == 3
                ? MaxComputeDdl.createTable(parts[0], parts[1] + "." + parts[2], defs, key, partitionColumns, days)
                : MaxComputeDdl.createTable(null, name, defs, key, partitionColumns, days);
        // three-level names are read as project.schema.table only in the schema model's syntax
        return (parts.length == 3 ? "SET odps.namespace.schema=true;\n" : "") + statement + "\n";
    }

    /** Splits at commas outside parentheses, so DECIMAL(18,2) stays whole. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        if (s == null || s.isBlank()) return out;
        int depth = 0, from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '<') depth++;
            else if (c == ')' || c == '>') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(from, i).trim());
                from = i + 1;
            }
        }
        out.add(s.substring(from).trim());
        out.removeIf(String::isEmpty);
        return out;
    }

    private static BadRequestException bad(String message) {
        return new BadRequestException(Response.status(400).type(MediaType.TEXT_PLAIN).entity(message + "\n").build());
    }

}
