package io.kwsync.ingest.format;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kwsync.model.DirtyRecordException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protobuf in the schema-registry framing: magic byte, schema id, message indexes (which message type of the .proto
 * file, see {@link ConfluentFrame#messageIndexes}), then the message. The .proto text is fetched by id, built into
 * descriptors once ({@link ProtoSchemas}, referenced schemas as its imports), and each message is parsed with
 * {@link DynamicMessage} and turned into a value tree by {@link ProtobufTrees}.
 *
 * <p>Dirty: a wrong magic byte, an unknown id or one naming a non-Protobuf schema, a .proto text that cannot be
 * built, message indexes naming no message type, bytes that do not parse, fields the message type does not define.
 */
public final class ProtobufDecoder implements RecordDecoder {

    private final SchemaRegistryClient registry;
    private final Map<Integer, Descriptors.FileDescriptor> files = new ConcurrentHashMap<>();

    public ProtobufDecoder(SchemaRegistryClient registry) {
        this.registry = registry;
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
        Descriptors.Descriptor type = messageType(file, indexes, what, id);
        DynamicMessage message;
        try {
            DynamicMessage.Builder b = DynamicMessage.newBuilder(type).mergeFrom(bytes, payload[0], bytes.length - payload[0]);
            if (!b.isInitialized()) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " lacks required fields of "
                        + type.getFullName() + ": " + b.findInitializationErrors());
            }
            message = b.buildPartial();
        } catch (InvalidProtocolBufferException e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is not a Protobuf " + type.getFullName()
                    + " of schema id " + id + ": " + e.getMessage());
        }
        return new Decoded.Tree(ProtobufTrees.tree(message, what));
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
