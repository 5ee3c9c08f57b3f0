package io.kwsync.sink.jdbc.schema;

/**
 * A destination table as written in configuration or a message: {@code name} or {@code schema.name}. The schema is
 * the PostgreSQL schema, or the database on MySQL. Both parts are identifiers in their own right, validated by the
 * dialect and quoted separately; a name cannot contain a dot.
 */
public record TableName(String schema, String name) {

    public static TableName parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? new TableName(null, text) : new TableName(text.substring(0, dot), text.substring(dot + 1));
    }

    public TableName withName(String other) {
        return new TableName(schema, other);
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
