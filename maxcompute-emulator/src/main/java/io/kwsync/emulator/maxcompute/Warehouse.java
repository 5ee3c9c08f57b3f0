package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;

import com.aliyun.odps.PartitionSpec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The emulator's state: projects, their tables and committed rows, refused privileges, the counters and the commits
 * still "committing". Every read and change happens under this object's lock; the session handlers take the same
 * lock, so that a commit is atomic against reads.
 */
final class Warehouse {

    /** A commit received and not yet in effect: it completes once its time has passed and its polls are used up. */
    abstract static class Committing {
        final Instant until;
        int polls;

        Committing(Instant until, int polls) {
            this.until = until;
            this.polls = polls;
        }

        /** Makes the commit's rows visible and updates status and counters. */
        abstract void apply();
    }

    final Clock clock;
    final EmulatorLimits limits;
    /** Told about rows when they become visible; null for none. */
    private volatile VisibleRows listener;
    /** Whether committed rows are kept (false: counted and told to the listener only, for long benchmark runs). */
    final boolean keepRows;
    final Accounting accounting = new Accounting();
    private final Map<String, Map<String, EmulatedTable>> projects = new LinkedHashMap<>();
    private final Set<String> denied = new HashSet<>();
    private final List<Committing> committing = new ArrayList<>();

    Warehouse(Clock clock, EmulatorLimits limits, boolean keepRows) {
        this.clock = clock;
        this.limits = limits;
        this.keepRows = keepRows;
    }

    Instant now() {
        return clock.instant();
    }

    synchronized void createProject(String project) {
        projects.putIfAbsent(project, new LinkedHashMap<>());
    }

    /** Schemas other than DEFAULT, per project, lower case (MaxCompute's names ignore case). */
    private final Map<String, Set<String>> schemas = new HashMap<>();

    synchronized void createSchema(String project, String schema) {
        if (!projects.containsKey(project)) throw new IllegalArgumentException("no project " + project);
        schemas.computeIfAbsent(project, p -> new HashSet<>()).add(schema.toLowerCase(Locale.ROOT));
    }

    /** DEFAULT exists in every project (it holds the tables of the two-level model). */
    synchronized boolean hasSchema(String project, String schema) {
        return schema.equalsIgnoreCase(DEFAULT_SCHEMA) || schemas.getOrDefault(project, Set.of()).contains(schema.toLowerCase(Locale.ROOT));
    }

    static final String DEFAULT_SCHEMA = "default";

    /** How a table of a schema is keyed: its name alone in DEFAULT, schema.name in any other schema. */
    static String key(String schema, String table) {
        return schema == null || schema.equalsIgnoreCase(DEFAULT_SCHEMA) ? table : schema + "." + table;
    }

    /** The error of a table named in a schema the project does not have; null when the schema exists or none is named. */
    synchronized String missingSchema(String project, String table) {
        int dot = table.indexOf('.');
        if (dot < 0 || hasSchema(project, table.substring(0, dot))) return null;
        return "ODPS-0110061:Schema not found - '" + project + "." + table.substring(0, dot) + "'";
    }

    synchronized boolean hasProject(String project) {
        return projects.containsKey(project);
    }

    synchronized List<String> projectNames() {
        return new ArrayList<>(projects.keySet());
    }

    synchronized List<EmulatedTable> tables(String project) {
        return new ArrayList<>(projects.getOrDefault(project, Map.of()).values());
    }

    synchronized EmulatedTable table(String project, String table) {
        Map<String, EmulatedTable> tables = projects.get(project);
        return tables == null ? null : tables.get(table.toLowerCase(Locale.ROOT));
    }

    /** For the test API: a missing table is the caller's mistake. */
    synchronized EmulatedTable required(String project, String table) {
        EmulatedTable t = table(project, table);
        if (t == null) throw new IllegalArgumentException("no table " + project + "." + table);
        return t;
    }

    /** For the REST API: a missing table is answered as MaxCompute answers it. */
    synchronized EmulatedTable existing(String project, String table) {
        EmulatedTable t = table(project, table);
        if (t == null) throw new Refusal(404, "NoSuchTable", "ODPS-0130131:Table not found - '" + project + "." + table + "'.");
        return t;
    }

    /** For the tunnel: the same in the tunnel's words. */
    synchronized EmulatedTable existingForTunnel(String project, String table) {
        if (!projects.containsKey(project)) throw new Refusal(404, "NoSuchProject", "The specified project name does not exist: " + project);
        EmulatedTable t = table(project, table);
        if (t == null) throw new Refusal(404, "NoSuchTable", "The specified table name does not exist: " + table);
        return t;
    }

    /** The partition a tunnel request names, which must exist (and be given exactly when the table is partitioned). */
    static String partitionOf(EmulatedTable t, Map<String, String> params) {
        String spec = params.containsKey("partition") ? t.canonical(params.get("partition")) : "";
        if (t.partitioned() && spec.isEmpty()) {
            throw new Refusal(400, "MissingPartitionSpec", "You need to specify a partitionspec along with the specified table.");
        }
        if (!t.partitioned() && !spec.isEmpty()) throw new Refusal(400, "InvalidPartitionSpec", "The specified partitionspec is not valid.");
        if (!t.partitions.containsKey(spec)) throw new Refusal(404, "NoSuchPartition", "The specified partition does not exist: " + spec);
        return spec;
    }

    /** {@code pt='a', b = 'c'} -> {@code pt=a,b=c}; empty stays empty. */
    static String normalize(String spec) {
        if (spec == null || spec.isBlank()) return "";
        return new PartitionSpec(spec).toString(false, false);
    }

    void listen(VisibleRows l) {
        listener = l;
    }

    /** Rows of a partition became visible (a commit took effect, a streaming upload was taken): tells the listener. */
    void visible(EmulatedTable t, String spec, List<Map<String, Object>> rows) {
        VisibleRows l = listener;
        if (l != null && !rows.isEmpty()) l.visible(t.project, t.name, spec, List.copyOf(rows), now());
    }

    // ---------------------------------------------------------------- privileges

    synchronized void deny(String privilege) {
        denied.add(privilege);
    }

    synchronized void allowAll() {
        denied.clear();
    }

    synchronized boolean denied(String privilege) {
        return denied.contains(privilege);
    }

    /** Refuses a request needing a privilege that {@link #deny} took away, with MaxCompute's 403. */
    synchronized void check(String privilege, String object) {
        if (denied.contains(privilege)) {
            throw new Refusal(403, "NoPermission", "ODPS-0420095: Access Denied - Authorization Failed [4019], You have NO privilege 'odps:"
                    + privilege + "' on {acs:odps:*:" + object + "}. Context ID:emulator.");
        }
    }

    // ---------------------------------------------------------------- DDL

    /** MaxCompute's limit of columns in a table (its "limits" page: 1,200). */
    static final int MAX_COLUMNS = 1200;

    /** Runs one statement; returns the failure text of the SQL task, or null when it succeeded. */
    synchronized String run(String project, String sql, boolean checkPrivileges) {
        return run(project, sql, checkPrivileges, EmulatorSql.Names.LENIENT);
    }

    /** @param names how dotted names are read: as the SQL task's hints say, or the test API's way */
    synchronized String run(String project, String sql, boolean checkPrivileges, EmulatorSql.Names names) {
        try {
            EmulatorSql.Statement s = EmulatorSql.parse(project, sql, names);
            String missing = missingSchema(s);
            if (missing != null) return missing;
            if (s instanceof EmulatorSql.CreateTable c) return create(c, checkPrivileges);
            if (s instanceof EmulatorSql.DropTable d) return drop(d, checkPrivileges);
            if (s instanceof EmulatorSql.AddColumns a) return addColumns(a, checkPrivileges);
            return addPartition((EmulatorSql.AddPartition) s, checkPrivileges);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private String missingSchema(EmulatorSql.Statement s) {
        String project, table;
        if (s instanceof EmulatorSql.CreateTable c) {
            project = c.project();
            table = c.table();
        } else if (s instanceof EmulatorSql.AddPartition a) {
            project = a.project();
            table = a.table();
        } else if (s instanceof EmulatorSql.AddColumns a) {
            project = a.project();
            table = a.table();
        } else {
            EmulatorSql.DropTable d = (EmulatorSql.DropTable) s;
            project = d.project();
            table = d.table();
        }
        return projects.containsKey(project) ? missingSchema(project, table) : null;
    }

    private String create(EmulatorSql.CreateTable c, boolean checkPrivileges) {
        if (checkPrivileges && denied.contains("CreateTable")) return authorizationFailure("CreateTable", "projects/" + c.project());
        Map<String, EmulatedTable> tables = projects.get(c.project());
        if (tables == null) return "ODPS-0130131:Project not found - '" + c.project() + "'";
        if (tables.containsKey(c.table().toLowerCase(Locale.ROOT))) {
            return c.ifNotExists() ? null : "ODPS-0130071:Semantic analysis exception - Table or view already exists - "
                    + c.project() + "." + c.table();
        }
        tables.put(c.table().toLowerCase(Locale.ROOT), new EmulatedTable(c.project(), c.table(), c.schema(), c.primaryKey(),
                c.transactional(), c.lifecycle()));
        return null;
    }

    private String drop(EmulatorSql.DropTable d, boolean checkPrivileges) {
        Map<String, EmulatedTable> tables = projects.get(d.project());
        if (tables == null) return "ODPS-0130131:Project not found - '" + d.project() + "'";
        if (!tables.containsKey(d.table().toLowerCase(Locale.ROOT))) {
            return d.ifExists() ? null : "ODPS-0130131:Table not found - '" + d.project() + "." + d.table() + "'";
        }
        if (checkPrivileges && denied.contains("Drop")) return authorizationFailure("Drop", "projects/" + d.project() + "/tables/" + d.table());
        tables.remove(d.table().toLowerCase(Locale.ROOT));
        accounting.forget(d.project(), d.table());
        return null;
    }

    private String addPartition(EmulatorSql.AddPartition a, boolean checkPrivileges) {
        EmulatedTable t = table(a.project(), a.table());
        if (t == null) return "ODPS-0130131:Table not found - '" + a.project() + "." + a.table() + "'";
        if (checkPrivileges && denied.contains("Alter")) {
            return authorizationFailure("Alter", "projects/" + a.project() + "/tables/" + a.table());
        }
        List<String> keys = new ArrayList<>();
        t.schema.getPartitionColumns().forEach(c -> keys.add(c.getName().toLowerCase(Locale.ROOT)));
        List<String> given = new ArrayList<>();
        a.spec().keySet().forEach(k -> given.add(k.toLowerCase(Locale.ROOT)));
        if (!keys.equals(given)) {
            return "ODPS-0130071:Semantic analysis exception - partition spec " + a.spec() + " does not match " + keys;
        }
        StringBuilder text = new StringBuilder();
        a.spec().forEach((k, v) -> text.append(text.isEmpty() ? "" : ",").append(k).append('=').append(v));
        String spec = t.canonical(text.toString());
        if (t.partitions.containsKey(spec)) {
            return a.ifNotExists() ? null : "ODPS-0130111:Partition already exists - " + spec;
        }
        t.partitions.put(spec, new ArrayList<>());
        return null;
    }

    /**
     * Adds columns at the end of a table's data columns. A name taken by a data or partition column, in any case, is
     * refused (skipped with IF NOT EXISTS), as is going past {@link #MAX_COLUMNS}. Rows already committed read NULL in
     * them. Tunnel sessions opened before keep decoding with the table's current columns: a block of the old width
     * reads NULL in the new ones.
     */
    private String addColumns(EmulatorSql.AddColumns a, boolean checkPrivileges) {
        EmulatedTable t = table(a.project(), a.table());
        if (t == null) return "ODPS-0130131:Table not found - '" + a.project() + "." + a.table() + "'";
        if (checkPrivileges && denied.contains("Alter")) {
            return authorizationFailure("Alter", "projects/" + a.project() + "/tables/" + a.table());
        }
        Set<String> taken = new HashSet<>();
        t.schema.getColumns().forEach(c -> taken.add(c.getName().toLowerCase(Locale.ROOT)));
        t.schema.getPartitionColumns().forEach(c -> taken.add(c.getName().toLowerCase(Locale.ROOT)));
        List<Column> adding = new ArrayList<>();
        for (Column c : a.columns()) {
            if (!taken.contains(c.getName().toLowerCase(Locale.ROOT))) adding.add(c);
            else if (!a.ifNotExists()) {
                return "ODPS-0130071:Semantic analysis exception - column " + c.getName() + " already exists in table "
                        + a.project() + "." + t.name + " (column names are case-insensitive)";
            }
        }
        if (t.schema.getColumns().size() + adding.size() > MAX_COLUMNS) {
            return "ODPS-0130071:Semantic analysis exception - table " + a.project() + "." + t.name + " would have more than "
                    + MAX_COLUMNS + " columns";
        }
        t.addColumns(adding);
        return null;
    }

    private static String authorizationFailure(String privilege, String object) {
        return "ODPS-0130013:Authorization exception - Authorization Failed [4019], You have NO privilege 'odps:" + privilege
                + "' on {acs:odps:*:" + object + "}. Context ID:emulator.";
    }

    // ---------------------------------------------------------------- sessions

    /**
     * Records a session creation for a partition; refuses it when the pacing is enforced and the previous creation for
     * the partition is more recent than {@link EmulatorLimits#minSessionInterval}.
     */
    synchronized void sessionCreated(EmulatedTable t, String spec, SessionKind kind) {
        Instant now = now();
        Instant last = accounting.lastCreation(t, spec);
        if (limits.enforceSessionInterval() && last != null && Duration.between(last, now).compareTo(limits.minSessionInterval()) < 0) {
            throw new Refusal(400, "SessionCreationTooFrequent", "emulator pacing check: a session for " + t.name + "/"
                    + (spec.isEmpty() ? "(unpartitioned)" : spec) + " was created " + Duration.between(last, now).toMillis()
                    + " ms after the previous one; MaxCompute recommends at least " + limits.minSessionInterval().toSeconds() + " s");
        }
        accounting.sessionCreated(t, spec, kind, now);
    }

    // ---------------------------------------------------------------- commits in progress

    /** Takes a commit into account: at once when no "committing" period is configured, else when it has passed. */
    synchronized void commit(Committing c) {
        committing.add(c);
        settle();
    }

    /**
     * One status request on a session: completes its commit when due, else uses up one of the polls it answers
     * "committing" to.
     */
    synchronized void polled(Committing c) {
        settle();
        if (c != null && c.polls > 0) c.polls--;
    }

    /** Applies every commit whose "committing" period is over. */
    synchronized void settle() {
        Instant now = now();
        committing.removeIf(c -> {
            if (c.polls > 0 || now.isBefore(c.until)) return false;
            c.apply();
            return true;
        });
    }
}
