package io.kwsync.ingest.mapping;

/** What one mapped column is read from: a built-in field, a constant, or a JSON path into the value. */
public sealed interface SourceField {

    /** The canonical text, as it would be written in the mapping. */
    String text();

    record Builtin(BuiltinField field) implements SourceField {
        @Override
        public String text() {
            return field.text();
        }
    }

    /** A constant, written in single quotes; every row gets this string. */
    record Constant(String value) implements SourceField {
        @Override
        public String text() {
            return "'" + value.replace("'", "''") + "'";
        }
    }

    record Path(JsonPath path) implements SourceField {
        @Override
        public String text() {
            return path.toString();
        }
    }
}
