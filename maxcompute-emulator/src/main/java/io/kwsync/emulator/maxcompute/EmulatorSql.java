package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfoParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements the sink runs as SQL instances: {@code CREATE TABLE [IF NOT EXISTS] p.t (...) [PARTITIONED BY
 * (...)] [TBLPROPERTIES (...)] [LIFECYCLE n]}, {@code ALTER TABLE p.t ADD [IF NOT EXISTS] PARTITION (k='v', ...)} and
 * {@code ALTER TABLE p.t ADD COLUMNS [IF NOT EXISTS] (c TYPE, ...)};
 * and {@code DROP TABLE [IF EXISTS] p.t}, which the dev scripts use to start a demo from an empty table.
 * Anything else is refused the way MaxCompute refuses a statement it cannot parse.
 */
final class EmulatorSql {

    private static final Pattern CREATE = Pattern.compile("(?is)\\s*CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?([`\\w.]+)\\s*(\\(.*)");
    private static final Pattern PARTITIONED = Pattern.compile("(?is)\\s*PARTITIONED\\s+BY\\s*(\\(.*)");
    private static final Pattern PROPERTIES = Pattern.compile("(?is)\\s*TBLPROPERTIES\\s*(\\(.*)");
    private static final Pattern LIFECYCLE = Pattern.compile("(?is)\\s*LIFECYCLE\\s+(\\d+)\\s*;?\\s*");
    private static final Pattern ALTER = Pattern.compile(
            "(?is)\\s*ALTER\\s+TABLE\\s+([`\\w.]+)\\s+ADD\\s+(IF\\s+NOT\\s+EXISTS\\s+)?PARTITION\\s*\\((.*)\\)\\s*;?\\s*");
    private static final Pattern ADD_COLUMNS = Pattern.compile(
            "(?is)\\s*ALTER\\s+TABLE\\s+([`\\w.]+)\\s+ADD\\s+COLUMNS\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(\\(.*)");
    /** MaxCompute's column names: a letter or underscore first, then letters, digits, underscores; 128 at most. */
    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern DROP = Pattern.compile("(?is)\\s*DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?([`\\w.]+)\\s*;?\\s*");
    private static final Pattern PK = Pattern.compile("(?is)PRIMARY\\s+KEY\\s*\\((.*)\\)");
    private static final Pattern KV = Pattern.compile("\\s*([`\\w]+)\\s*=\\s*'([^']*)'\\s*");

    sealed interface Statement permits CreateTable, AddPartition, AddColumns, DropTable {
    }

    record CreateTable(String project, String table, boolean ifNotExists, TableSchema schema, List<String> primaryKey,
                       boolean transactional, long lifecycle) implements Statement {
    }

    record AddPartition(String project, String table, boolean ifNotExists, Map<String, String> spec) implements Statement {
    }

    record AddColumns(String project, String table, boolean ifNotExists, List<Column> columns) implements Statement {
    }

    record DropTable(String project, String table, boolean ifExists) implements Statement {
    }

    private EmulatorSql() {
    }

    /** How a statement's dotted names are read. */
    enum Names {
        /** MaxCompute's default syntax: {@code p.t} is project.table; a three-part name is refused. */
        TWO_LEVEL,
        /** With {@code odps.namespace.schema=true}: {@code s.t} is schema.table, {@code p.s.t} project.schema.table. */
        SCHEMA,
        /** The test API's: {@code p.t} is project.table and {@code p.s.t} project.schema.table. */
        LENIENT
    }

    static Statement parse(String defaultProject, String sql) {
        return parse(defaultProject, sql, Names.LENIENT);
    }

    static Statement parse(String defaultProject, String sql, Names names) {
        Matcher m = CREATE.matcher(sql);
        if (m.matches()) {
            String[] name = name(defaultProject, m.group(2), names);
            String rest = m.group(3);
            int close = closing(rest);
            String columns = rest.substring(1, close);
            rest = rest.substring(close + 1);
            String partitions = null, properties = null;
            long lifecycle = -1;
            Matcher x = PARTITIONED.matcher(rest);
            if (x.matches()) {
                close = closing(x.group(1));
                partitions = x.group(1).substring(1, close);
                rest = x.group(1).substring(close + 1);
            }
            x = PROPERTIES.matcher(rest);
            if (x.matches()) {
                close = closing(x.group(1));
                properties = x.group(1).substring(1, close);
                rest = x.group(1).substring(close + 1);
            }
            x = LIFECYCLE.matcher(rest);
            if (x.matches()) {
                lifecycle = Long.parseLong(x.group(1));
            } else if (!rest.replace(";", "").isBlank()) {
                throw new IllegalArgumentException("ODPS-0130161:Parse exception - unexpected '" + rest.trim() + "'");
            }
            TableSchema schema = new TableSchema();
            List<String> pk = new ArrayList<>();
            for (String part : splitTopLevel(columns)) {
                Matcher k = PK.matcher(part.trim());
                if (k.matches()) {
                    for (String c : k.group(1).split(",")) pk.add(unquote(c.trim()));
                } else {
                    schema.addColumn(column(part));
                }
            }
            if (partitions != null) {
                for (String part : splitTopLevel(partitions)) schema.addPartitionColumn(column(part));
            }
            boolean transactional = properties != null
                    && properties.replaceAll("[\\s\"']", "").toLowerCase(Locale.ROOT).contains("transactional=true");
            return new CreateTable(name[0], name[1], m.group(1) != null, schema, pk, transactional, lifecycle);
        }
        m = ALTER.matcher(sql);
        if (m.matches()) {
            String[] name = name(defaultProject, m.group(1), names);
            Map<String, String> spec = new LinkedHashMap<>();
            for (String kv : m.group(3).split(",")) {
                Matcher p = KV.matcher(kv);
                if (!p.matches()) throw new IllegalArgumentException("ODPS-0130161:Parse exception - invalid partition spec " + kv);
                spec.put(unquote(p.group(1)), p.group(2));
            }
            return new AddPartition(name[0], name[1], m.group(2) != null, spec);
        }
        m = ADD_COLUMNS.matcher(sql);
        if (m.matches()) return addColumns(defaultProject, m, names);
        m = DROP.matcher(sql);
        if (m.matches()) {
            String[] name = name(defaultProject, m.group(2), names);
            return new DropTable(name[0], name[1], m.group(1) != null);
        }
        throw new IllegalArgumentException("ODPS-0130161:Parse exception - the emulator does not run: " + sql);
    }

    /**
     * {@code ALTER TABLE t ADD COLUMNS [IF NOT EXISTS] (c TYPE [COMMENT '...'], ...)}: new columns are nullable (NOT NULL
     * or a DEFAULT is refused), names follow MaxCompute's rules and appear once.
     */
    private static AddColumns addColumns(String defaultProject, Matcher m, Names names) {
        String[] name = name(defaultProject, m.group(1), names);
        String rest = m.group(3);
        int close = closing(rest);
        if (!rest.substring(close + 1).replace(";", "").isBlank()) {
            throw new IllegalArgumentException("ODPS-0130161:Parse exception - unexpected '" + rest.substring(close + 1).trim() + "'");
        }
        List<Column> columns = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String part : splitTopLevel(rest.substring(1, close))) {
            if (part.toUpperCase(Locale.ROOT).matches("(?s).*\\bNOT\\s+NULL\\b.*|.*\\bDEFAULT\\b.*")) {
                throw new IllegalArgumentException("ODPS-0130071:Semantic analysis exception - a column added to an existing"
                        + " table must be nullable without a default: " + part.trim());
            }
            Column c = column(part);
            if (!COLUMN_NAME.matcher(c.getName()).matches()) {
                throw new IllegalArgumentException("ODPS-0130161:Parse exception - invalid column name '" + c.getName() + "'");
            }
            if (seen.contains(c.getName().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("ODPS-0130071:Semantic analysis exception - column " + c.getName()
                        + " appears twice in the statement");
            }
            seen.add(c.getName().toLowerCase(Locale.ROOT));
            columns.add(c);
        }
        if (columns.isEmpty()) throw new IllegalArgumentException("ODPS-0130161:Parse exception - no column to add");
        return new AddColumns(name[0], name[1], m.group(2) != null, columns);
    }

    private static Column column(String definition) {
        String d = definition.trim().replaceAll("(?is)\\s+COMMENT\\s+'[^']*'\\s*$", "").replaceAll("(?i)\\s+NOT\\s+NULL\\s*$", "");
        int space = d.indexOf(' ');
        if (space < 0) throw new IllegalArgumentException("ODPS-0130161:Parse exception - bad column " + definition);
        String name = unquote(d.substring(0, space).trim());
        String type = d.substring(space + 1).trim().toUpperCase(Locale.ROOT);
        Column c = new Column(name, TypeInfoParser.getTypeInfoFromTypeString(type));
        c.setNullable(!definition.toUpperCase(Locale.ROOT).contains("NOT NULL"));
        return c;
    }

    /**
     * {project, table}; a table in a schema other than DEFAULT is named {@code schema.table}, as the warehouse keys it
     * ({@link Warehouse#key}).
     */
    private static String[] name(String defaultProject, String qualified, Names names) {
        String[] parts = qualified.replace("`", "").split("\\.");
        if (parts.length == 1) return new String[]{defaultProject, parts[0]};
        if (parts.length == 2) {
            return names == Names.SCHEMA ? new String[]{defaultProject, Warehouse.key(parts[0], parts[1])} : parts;
        }
        if (parts.length == 3 && names != Names.TWO_LEVEL) return new String[]{parts[0], Warehouse.key(parts[1], parts[2])};
        // what MaxCompute answers for project.schema.table without the schema syntax switched on
        throw new IllegalArgumentException("ODPS-0130161:Parse exception - invalid table name " + qualified
                + (parts.length == 3 ? ": three-level names need odps.namespace.schema=true" : ""));
    }

    /** Index of the parenthesis closing the one at index 0. */
    private static int closing(String s) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') quoted = !quoted;
            else if (!quoted && c == '(') depth++;
            else if (!quoted && c == ')' && --depth == 0) return i;
        }
        throw new IllegalArgumentException("ODPS-0130161:Parse exception - unbalanced parentheses in " + s);
    }

    static String unquote(String s) {
        return s.startsWith("`") && s.endsWith("`") ? s.substring(1, s.length() - 1) : s;
    }

    /** Splits at commas outside parentheses and angle brackets: DECIMAL(10,2) and MAP<STRING,BIGINT> stay whole. */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, from = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') quoted = !quoted;
            else if (!quoted && (c == '(' || c == '<')) depth++;
            else if (!quoted && (c == ')' || c == '>')) depth--;
            else if (!quoted && c == ',' && depth == 0) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        if (!s.substring(from).isBlank()) out.add(s.substring(from));
        return out;
    }
}
