package io.kwsync.ingest.format;

import java.util.List;

/**
 * A schema as the registry stores it: its id, type ({@code AVRO}, {@code PROTOBUF} or {@code JSON}), text, and the
 * schemas it references (Protobuf imports, Avro named types, JSON $refs) by the name the text uses for them.
 */
public record RegisteredSchema(int id, String type, String text, List<Reference> references) {

    public RegisteredSchema {
        references = List.copyOf(references);
    }

    /** A referenced schema: the name used in the referring text, and where the registry keeps it. */
    public record Reference(String name, String subject, int version) {
    }
}
