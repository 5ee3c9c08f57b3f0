package io.kwsync.emulator.maxcompute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API below {@code /api}: project metadata, the tunnel address, table metadata, one partition's metadata, the
 * list of a table's partitions, and SQL instances running {@code CREATE TABLE} and {@code ALTER TABLE ... ADD
 * PARTITION} (other statements fail as MaxCompute fails a statement it cannot parse). Answers are the XML the SDK's
 * models read.
 */
final class RestApi {

    private static final Pattern QUERY = Pattern.compile("(?s)<Query>(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))</Query>");
    /** The SQL hint that switches on the schema model's names, as the task's settings carry it (JSON in XML). */
    private static final Pattern SCHEMA_SYNTAX = Pattern.compile("odps\\.namespace\\.schema(?:\"|&quot;)\\s*:\\s*(?:\"|&quot;)true");
    private static final Pattern TASK_NAME = Pattern.compile("(?s)<SQL>.*?<Name>([^<]*)</Name>");
    private static final String XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private static final long CREATED = 1_600_000_000_000L;

    private record SqlInstance(String task, String failure) {
    }

    private final Warehouse warehouse;
    private final String endpoint;
    private final String tunnelAddress;
    private final Map<String, SqlInstance> instances = new HashMap<>();

    /**
     * @param endpoint      the REST endpoint, for the {@code Location} of new instances
     * @param tunnelAddress the {@code host:port} the SDK is told to find the tunnel at
     */
    RestApi(Warehouse warehouse, String endpoint, String tunnelAddress) {
        this.warehouse = warehouse;
        this.endpoint = endpoint;
        this.tunnelAddress = tunnelAddress;
    }

    void handle(Call call, List<String> seg) throws IOException {
        String project = seg.get(1);
        String method = call.method;
        if (!warehouse.hasProject(project)) {
            throw new Refusal(404, "NoSuchProject", "ODPS-0420111: Project not found - '" + project + "'.");
        }
        if (seg.size() == 2 && method.equals("GET")) {
            call.responseHeader("x-odps-owner", "ALIYUN$kwsync-emulator");
            call.responseHeader("x-odps-creation-time", rfc822(new Date(CREATED)));
            call.responseHeader("Last-Modified", rfc822(new Date(CREATED)));
            call.reply(200, "application/xml", XML + "<Project><Name>" + project
                    + "</Name><Type>managed</Type><Comment></Comment><State>AVAILABLE</State><Properties></Properties></Project>");
        } else if (seg.size() == 3 && seg.get(2).equals("tunnel") && method.equals("GET")) {
            call.reply(200, "text/plain", tunnelAddress);
        } else if (seg.size() == 4 && seg.get(2).equals("tables") && method.equals("GET")) {
            warehouse.check("Describe", "projects/" + project + "/tables/" + seg.get(3));
            call.reply(200, "application/xml", XML + table(project, seg.get(3), call.params));
        } else if (seg.size() == 3 && seg.get(2).equals("instances") && method.equals("POST")) {
            warehouse.check("CreateInstance", "projects/" + project);
            String id = submit(project, new String(call.body, StandardCharsets.UTF_8));
            call.responseHeader("Location", endpoint + "/projects/" + project + "/instances/" + id);
            call.reply(201, "application/xml", "");
        } else if (seg.size() == 4 && seg.get(2).equals("instances") && method.equals("GET")) {
            instance(call, seg.get(3));
        } else {
            throw Refusal.notSupported(method + " " + String.join("/", seg));
        }
    }

    /** Table metadata, one partition's metadata ({@code ?partition=}) or the list of partitions ({@code ?partitions}). */
    private String table(String project, String name, Map<String, String> params) {
        synchronized (warehouse) {
            warehouse.settle();
            EmulatedTable t = warehouse.existing(project, name);
            if (params.containsKey("partitions")) return partitions(t, params.containsKey("name"));
            if (params.containsKey("partition")) {
                String spec = t.canonical(params.get("partition"));
                if (!t.partitions.containsKey(spec)) {
                    throw new Refusal(404, "NoSuchPartition", "ODPS-0130131:Partition not found - '" + spec + "'");
                }
                return "<Partition><Schema><![CDATA[{\"createTime\":1600000000,\"partitionRecordNum\":"
                        + t.partitions.get(spec).size() + "}]]></Schema></Partition>";
            }
            int dot = t.name.lastIndexOf('.');
            // the SDK reads the table's name and schema from the reply and builds its later requests and DDL from them
            String schema = dot < 0 ? "" : "<SchemaName>" + t.name.substring(0, dot) + "</SchemaName>";
            return "<Table><Name>" + t.name.substring(dot + 1) + "</Name>" + schema + "<TableId>" + t.name + "-id</TableId><Project>" + project
                    + "</Project><Schema><![CDATA[" + t.metadataJson() + "]]></Schema></Table>";
        }
    }

    /** Every partition in one page (an empty marker ends the SDK's iteration): as specs, or as column lists. */
    private static String partitions(EmulatedTable t, boolean specsOnly) {
        StringBuilder sb = new StringBuilder("<Partitions><Marker></Marker>");
        for (String spec : t.partitions.keySet()) {
            if (spec.isEmpty()) continue;
            sb.append("<Partition>");
            if (specsOnly) {
                sb.append("<Name>").append(escape(spec)).append("</Name>");
            } else {
                for (String kv : spec.split(",")) {
                    int eq = kv.indexOf('=');
                    sb.append("<Column Name=\"").append(escape(kv.substring(0, eq))).append("\" Value=\"")
                            .append(escape(kv.substring(eq + 1))).append("\"/>");
                }
                sb.append("<CreationTime>1600000000</CreationTime><LastDDLTime>1600000000</LastDDLTime>")
                        .append("<LastModifiedTime>1600000000</LastModifiedTime>");
            }
            sb.append("</Partition>");
        }
        return sb.append("</Partitions>").toString();
    }

    private String submit(String project, String xml) {
        Matcher q = QUERY.matcher(xml);
        Matcher n = TASK_NAME.matcher(xml);
        if (!q.find()) throw new Refusal(400, "InvalidArgument", "the emulator runs SQL tasks only");
        String task = n.find() ? n.group(1) : "AnonymousSQLTask";
        String id = new SimpleDateFormat("yyyyMMddHHmmssSSS").format(new Date()) + UUID.randomUUID().toString().substring(0, 8);
        String sql = q.group(1) != null ? q.group(1) : q.group(2).replace("&apos;", "'").replace("&quot;", "\"")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        synchronized (warehouse) {
            instances.put(id, new SqlInstance(task, warehouse.run(project, sql, true, SCHEMA_SYNTAX.matcher(xml).find()
                    ? EmulatorSql.Names.SCHEMA : EmulatorSql.Names.TWO_LEVEL)));
        }
        return id;
    }

    private void instance(Call call, String id) throws IOException {
        SqlInstance i;
        synchronized (warehouse) {
            i = instances.get(id);
        }
        if (i == null) throw new Refusal(404, "NoSuchObject", "ODPS-0420111: Instance not found - " + id);
        String status = i.failure() == null ? "Success" : "Failed";
        String xml;
        if (call.params.containsKey("taskstatus")) {
            xml = "<Instance><Status>Terminated</Status><Tasks><Task Type=\"SQL\"><Name>" + i.task() + "</Name><Status>"
                    + status + "</Status></Task></Tasks></Instance>";
        } else if (call.params.containsKey("result")) {
            xml = "<Instance><Tasks><Task Type=\"SQL\"><Name>" + i.task() + "</Name><Result Format=\"text\"><![CDATA["
                    + (i.failure() == null ? "OK" : i.failure()) + "]]></Result><Status>" + status + "</Status></Task></Tasks></Instance>";
        } else {
            call.responseHeader("x-odps-owner", "ALIYUN$kwsync-emulator");
            call.responseHeader("x-odps-start-time", rfc822(new Date()));
            call.responseHeader("x-odps-end-time", rfc822(new Date()));
            xml = "<Instance><Status>Terminated</Status></Instance>";
        }
        call.reply(200, "application/xml", XML + xml);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String rfc822(Date d) {
        SimpleDateFormat f = new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss z", Locale.US);
        f.setTimeZone(TimeZone.getTimeZone("GMT"));
        return f.format(d);
    }
}
