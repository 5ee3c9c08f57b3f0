package io.kwsync.ingest.format;

import com.google.protobuf.Descriptors;
import com.google.protobuf.CodedInputStream;
import io.kwsync.model.DirtyRecordException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protobuf in the schema-registry framing: magic byte, schema id, message indexes (which message type of the .proto
 * file, see {@link ConfluentFrame#messageIndexes}), then the message. The schema (.proto text, or a base64
 * FileDescriptorProto) is fetched by id, built into
 * descriptors once ({@link ProtoSchemas}, referenced schemas as its imports), and each message is read straight into a
 * value tree by {@link ProtobufTreeReader}.
 *
 * <p>Values: every field of the message type is present, in declaration order. Scalars: 32- and 64-bit integers as
 * {@link Long} (uint64 above 2^63 as BigDecimal), float and double as {@link LogicalValues#decimalOf}, bool, string,
 * bytes as byte[], an enum as its value's name (a number the schema does not name as that number). A field without
 * presence that is not set has its default (0, "", false, the first enum value), as the Protobuf JSON mapping prints
 * it with defaults included; a message field, a proto3 {@code optional} or proto2 field and a oneof member that are
 * not set are null. Repeated fields are lists, maps are maps with their keys as text. Well-known types: Timestamp as
 * ISO-8601 text, Duration as text ({@code 1.5s}), the wrappers (Int64Value, StringValue, ...) as their value,
 * Struct/Value/ListValue as the JSON they stand for.
 *
 * <p>Dirty: a wrong magic byte, an unknown id or one naming a non-Protobuf schema, a .proto text that cannot be
 * built, message indexes naming no message type, bytes that do not parse, fields the message type does not define
 * (unknown fields: the writer used another schema than the one its id names).
 */
public final class ProtobufDecoder implements RecordDecoder {

    private final SchemaRegistryClient registry;
    private final Map<Integer, Descriptors.FileDescriptor> files = new ConcurrentHashMap<>();
    private final Map<String, ProtobufTreeReader.Plan> plans = new ConcurrentHashMap<>();
    private final ProtobufTreeReader reader = new ProtobufTreeReader();

    private final Set<String> only;

    public ProtobufDecoder(SchemaRegistryClient registry) {
        this(registry, null);
    }

    private ProtobufDecoder(SchemaRegistryClient registry, Set<String> only) {
        this.registry = registry;
        this.only = only;
    }

    /**
     * This decoder reading only the named top-level fields (the others are skipped on the wire and absent from the
     * tree). For a column mapping whose JSON paths start at these fields.
     */
    public ProtobufDecoder only(Set<String> topLevelFields) {
        return new ProtobufDecoder(registry, Set.copyOf(topLevelFields));
    }

    @Override
    public Decoded decode(byte[] bytes, String what) {
        if (bytes == null) return null;
        int id = ConfluentFrame.schemaId(bytes, what);
        int[] payload = new int[1];
        int[] indexes = ConfluentFrame.messageIndexes(bytes, payload, what);
        Descriptors.FileDescriptor file = files.get(id);
        if (file == null) {
            file = build(registry.byId(id), what);
            files.putIfAbsent(id, file);
        }
        ProtobufTreeReader.Plan plan = plan(id, file, indexes, what);
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes, payload[0], bytes.length - payload[0]);
            return new Decoded.Tree(ProtobufTreeReader.tree(plan, ProtobufTreeReader.read(plan, in)));
        } catch (IOException | ProtobufTreeReader.Malformed e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is not a Protobuf "
                    + plan.type.getFullName() + " of schema id " + id + ": " + e.getMessage());
        }
    }

    private ProtobufTreeReader.Plan plan(int id, Descriptors.FileDescriptor file, int[] indexes, String what) {
        String key = id + Arrays.toString(indexes);
        ProtobufTreeReader.Plan plan = plans.get(key);
        if (plan == null) {
            Descriptors.Descriptor type = messageType(file, indexes, what, id);
            synchronized (reader) {
                plan = reader.plan(type);
            }
            if (only != null) plan = plan.only(only);
            plans.putIfAbsent(key, plan);
        }
        return plan;
    }

    private static Descriptors.Descriptor messageType(Descriptors.FileDescriptor file, int[] indexes, String what, int id) {
        List<Descriptors.Descriptor> level = file.getMessageTypes();
        Descriptors.Descriptor type = null;
        for (int i : indexes) {
            if (i < 0 || i >= level.size()) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " names message "
                        + Arrays.toString(indexes) + " of schema id " + id + ", which has no such message type");
            }
            type = level.get(i);
            level = type.getNestedTypes();
        }
        return type;
    }

    private Descriptors.FileDescriptor build(RegisteredSchema s, String what) {
        if (!"PROTOBUF".equals(s.type())) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " names schema id " + s.id() + ", a "
                    + s.type() + " schema, but the format is Protobuf");
        }
        try {
            return build(s, "schema-" + s.id() + ".proto", new ArrayList<>());
        } catch (IllegalArgumentException e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "schema id " + s.id()
                    + " in the schema registry cannot be used: " + e.getMessage(), e);
        }
    }

    /** Builds a file after the files it imports, which are the registry references named by their import path. */
    private Descriptors.FileDescriptor build(RegisteredSchema s, String name, List<String> building) {
        if (building.contains(name)) throw new IllegalArgumentException("import cycle through " + name);
        building.add(name);
        Map<String, Descriptors.FileDescriptor> imports = new HashMap<>();
        for (RegisteredSchema.Reference r : s.references()) {
            imports.put(r.name(), build(registry.referenced(r), r.name(), building));
        }
        building.remove(name);
        return ProtoSchemas.build(name, s.text(), imports::get);
    }
}
