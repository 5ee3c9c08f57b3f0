package io.kwsync.sink.maxcompute;

import java.util.Locale;
import java.util.Map;

/**
 * A MaxCompute table as a setting or a row names it: {@code table}, in KWSYNC_MAXCOMPUTE_PROJECT (the two-level model,
 * unchanged), or {@code project.schema.table} (MaxCompute's three-level model, for projects with schemas), whose
 * project must be the sink's own: the credentials and permissions are checked against that one at start. A two-part
 * {@code a.b} is refused: MaxCompute reads it as project.table or schema.table depending on a tenant setting, and a
 * sink that guessed would write to the wrong table.
 *
 * @param schema null in the two-level form
 */
record QualifiedTable(String project, String schema, String name) {

    /**
     * @throws IllegalArgumentException saying what is wrong with the name
     */
    static QualifiedTable parse(String text, String project) {
        String[] parts = text.split("\\.", -1);
        for (String p : parts) {
            if (!MaxComputeDdl.isIdentifier(p)) {
                throw new IllegalArgumentException("'" + text + "' is not a MaxCompute table name: use table or"
                        + " project.schema.table, each part letters, digits and underscores, starting with a letter");
            }
        }
        if (parts.length == 1) return new QualifiedTable(project, null, parts[0]);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not a MaxCompute table name: use table (in project "
                    + project + ") or project.schema.table; a two-part name would be read as project.table or"
                    + " schema.table depending on the tenant's odps.namespace.schema setting");
        }
        if (!parts[0].equalsIgnoreCase(project)) {
            throw new IllegalArgumentException("'" + text + "' names project " + parts[0] + ", but the sink writes to"
                    + " project " + project + " (KWSYNC_MAXCOMPUTE_PROJECT)");
        }
        return new QualifiedTable(project, parts[1], parts[2]);
    }

    /** The SQL hints that make MaxCompute read three-part names as project.schema.table, as the SDK sets them. */
    Map<String, String> hints() {
        return schema == null ? null : Map.of("odps.namespace.schema", "true", "odps.sql.allow.namespace.schema", "true");
    }

    /** For messages: project.table or project.schema.table. */
    @Override
    public String toString() {
        return project + "." + (schema == null ? "" : schema + ".") + name;
    }

    /** The same table whatever the case of its names, as MaxCompute compares them. */
    String key() {
        return toString().toLowerCase(Locale.ROOT);
    }
}
