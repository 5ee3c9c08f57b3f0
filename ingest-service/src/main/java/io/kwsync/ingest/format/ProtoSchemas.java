package io.kwsync.ingest.format;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.EnumConstantElement;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.OptionElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import com.squareup.wire.schema.internal.parser.TypeElement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns .proto text, as a schema registry stores it, into a protobuf-java {@link Descriptors.FileDescriptor} that
 * {@link com.google.protobuf.DynamicMessage} can parse with. Square's wire-schema parses the text (protobuf-java has
 * no .proto parser); this class builds the descriptor the way protoc would: nested types, enums, oneofs, proto3
 * {@code optional} (a synthetic oneof), {@code map<K, V>} fields (a nested {@code XxxEntry} message), proto2 defaults
 * and labels. Type names are resolved by protobuf-java with protoc's scoping rules.
 *
 * <p>A schema may also be registered as a base64 FileDescriptorProto (the registry API's "serialized" form); it is
 * built as it is.
 *
 * <p>Imports: the well-known types ({@code google/protobuf/timestamp.proto}, wrappers, duration, struct, empty, any,
 * field_mask) come from protobuf-java itself; any other import must be supplied by {@code imports} (the registry's
 * schema references). Not supported: groups, editions; options other than the ones that change parsing are ignored.
 */
final class ProtoSchemas {

    private static final Map<String, Descriptors.FileDescriptor> WELL_KNOWN = Map.of(
            "google/protobuf/timestamp.proto", TimestampProto.getDescriptor(),
            "google/protobuf/duration.proto", DurationProto.getDescriptor(),
            "google/protobuf/wrappers.proto", WrappersProto.getDescriptor(),
            "google/protobuf/struct.proto", StructProto.getDescriptor(),
            "google/protobuf/empty.proto", EmptyProto.getDescriptor(),
            "google/protobuf/any.proto", AnyProto.getDescriptor(),
            "google/protobuf/field_mask.proto", FieldMaskProto.getDescriptor());

    private ProtoSchemas() {
    }

    /**
     * @param imports the descriptor of an imported file by its import path, or null when unknown
     * @throws IllegalArgumentException when the text is not a .proto file this can build
     */
    static Descriptors.FileDescriptor build(String name, String text, Function<String, Descriptors.FileDescriptor> imports) {
        if (text.indexOf('{') < 0 && text.indexOf(';') < 0) return serialized(text, imports);
        ProtoFileElement file;
        try {
            file = ProtoParser.Companion.parse(Location.Companion.get(name), text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid .proto file: " + e.getMessage(), e);
        }
        boolean proto3 = file.getSyntax() != null && file.getSyntax().toString().equals("proto3");
        FileDescriptorProto.Builder fb = FileDescriptorProto.newBuilder().setName(name)
                .setSyntax(proto3 ? "proto3" : "proto2");
        if (file.getPackageName() != null) fb.setPackage(file.getPackageName());
        List<Descriptors.FileDescriptor> deps = new ArrayList<>();
        List<String> allImports = new ArrayList<>(file.getImports());
        allImports.addAll(file.getPublicImports());
        for (String imp : allImports) {
            Descriptors.FileDescriptor d = WELL_KNOWN.get(imp);
            if (d == null) d = imports.apply(imp);
            if (d == null) throw new IllegalArgumentException("import \"" + imp + "\" is neither a well-known type nor a schema reference");
            fb.addDependency(d.getName());
            deps.add(d);
        }
        for (TypeElement t : file.getTypes()) {
            if (t instanceof MessageElement m) fb.addMessageType(message(m, proto3));
            else if (t instanceof EnumElement e) fb.addEnumType(enumType(e));
        }
        try {
            return Descriptors.FileDescriptor.buildFrom(fb.build(), deps.toArray(new Descriptors.FileDescriptor[0]));
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalArgumentException("the .proto file does not describe valid types: " + e.getMessage(), e);
        }
    }

    /**
     * A schema registered in its serialized form, a base64 FileDescriptorProto (Confluent's JavaScript serializer
     * registers that; registries that store schemas as given hand it back so).
     */
    private static Descriptors.FileDescriptor serialized(String text, Function<String, Descriptors.FileDescriptor> imports) {
        FileDescriptorProto proto;
        try {
            proto = FileDescriptorProto.parseFrom(java.util.Base64.getMimeDecoder().decode(text.strip()));
        } catch (IllegalArgumentException | com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("neither .proto text nor a base64 FileDescriptorProto", e);
        }
        List<Descriptors.FileDescriptor> deps = new ArrayList<>();
        for (String imp : proto.getDependencyList()) {
            Descriptors.FileDescriptor d = WELL_KNOWN.get(imp);
            if (d == null) d = imports.apply(imp);
            if (d == null) throw new IllegalArgumentException("import \"" + imp + "\" is neither a well-known type nor a schema reference");
            deps.add(d);
        }
        try {
            return Descriptors.FileDescriptor.buildFrom(proto, deps.toArray(new Descriptors.FileDescriptor[0]));
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalArgumentException("the file descriptor does not describe valid types: " + e.getMessage(), e);
        }
    }

    private static DescriptorProto message(MessageElement m, boolean proto3) {
        if (!m.getGroups().isEmpty()) throw new IllegalArgumentException("message " + m.getName() + " uses groups, which are not supported");
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(m.getName());
        for (TypeElement t : m.getNestedTypes()) {
            if (t instanceof MessageElement nested) b.addNestedType(message(nested, proto3));
            else if (t instanceof EnumElement e) b.addEnumType(enumType(e));
        }
        // fields in declaration order, as protoc lists them (the parser keeps oneof members apart)
        List<Map.Entry<FieldElement, Integer>> fields = new ArrayList<>();
        for (FieldElement f : m.getFields()) fields.add(Map.entry(f, -1));
        for (OneOfElement o : m.getOneOfs()) {
            int index = b.getOneofDeclCount();
            b.addOneofDecl(OneofDescriptorProto.newBuilder().setName(o.getName()));
            for (FieldElement f : o.getFields()) fields.add(Map.entry(f, index));
        }
        fields.sort(Comparator.comparingInt((Map.Entry<FieldElement, Integer> e) -> e.getKey().getLocation().getLine())
                .thenComparingInt(e -> e.getKey().getLocation().getColumn()));
        for (Map.Entry<FieldElement, Integer> e : fields) b.addField(field(e.getKey(), proto3, b, e.getValue()));
        // protoc puts the synthetic oneofs of proto3 optional fields after the real ones
        for (int i = 0; i < b.getFieldCount(); i++) {
            FieldDescriptorProto f = b.getField(i);
            if (f.getProto3Optional()) {
                b.setField(i, f.toBuilder().setOneofIndex(b.getOneofDeclCount()));
                b.addOneofDecl(OneofDescriptorProto.newBuilder().setName(syntheticName(f.getName(), b)));
            }
        }
        return b.build();
    }

    private static String syntheticName(String field, DescriptorProto.Builder b) {
        String name = "_" + field;
        while (true) {
            String candidate = name;
            if (b.getOneofDeclList().stream().noneMatch(o -> o.getName().equals(candidate))) return name;
            name = "X" + name;
        }
    }

    private static FieldDescriptorProto field(FieldElement f, boolean proto3, DescriptorProto.Builder owner, int oneof) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(f.getName()).setNumber(f.getTag());
        Field.Label label = f.getLabel();
        String type = f.getType();
        if (type.startsWith("map<")) {
            String[] kv = type.substring(4, type.length() - 1).split(",", 2);
            String entry = entryName(f.getName());
            owner.addNestedType(DescriptorProto.newBuilder().setName(entry)
                    .setOptions(com.google.protobuf.DescriptorProtos.MessageOptions.newBuilder().setMapEntry(true))
                    .addField(typed(FieldDescriptorProto.newBuilder().setName("key").setNumber(1)
                            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL), kv[0].trim()))
                    .addField(typed(FieldDescriptorProto.newBuilder().setName("value").setNumber(2)
                            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL), kv[1].trim())));
            return b.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).setTypeName(entry).build();
        }
        typed(b, type);
        if (label == Field.Label.REPEATED) b.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
        else if (label == Field.Label.REQUIRED) b.setLabel(FieldDescriptorProto.Label.LABEL_REQUIRED);
        else b.setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
        if (proto3 && label == Field.Label.OPTIONAL && oneof < 0) b.setProto3Optional(true);
        if (oneof >= 0) b.setOneofIndex(oneof);
        if (f.getDefaultValue() != null) b.setDefaultValue(f.getDefaultValue());
        if (f.getJsonName() != null) b.setJsonName(f.getJsonName());
        for (OptionElement o : f.getOptions()) {
            if (o.getName().equals("packed")) {
                b.setOptions(b.getOptions().toBuilder().setPacked(Boolean.parseBoolean(o.getValue().toString())));
            }
        }
        return b.build();
    }

    private static FieldDescriptorProto.Builder typed(FieldDescriptorProto.Builder b, String type) {
        FieldDescriptorProto.Type scalar = switch (type) {
            case "double" -> FieldDescriptorProto.Type.TYPE_DOUBLE;
            case "float" -> FieldDescriptorProto.Type.TYPE_FLOAT;
            case "int64" -> FieldDescriptorProto.Type.TYPE_INT64;
            case "uint64" -> FieldDescriptorProto.Type.TYPE_UINT64;
            case "int32" -> FieldDescriptorProto.Type.TYPE_INT32;
            case "fixed64" -> FieldDescriptorProto.Type.TYPE_FIXED64;
            case "fixed32" -> FieldDescriptorProto.Type.TYPE_FIXED32;
            case "bool" -> FieldDescriptorProto.Type.TYPE_BOOL;
            case "string" -> FieldDescriptorProto.Type.TYPE_STRING;
            case "bytes" -> FieldDescriptorProto.Type.TYPE_BYTES;
            case "uint32" -> FieldDescriptorProto.Type.TYPE_UINT32;
            case "sfixed32" -> FieldDescriptorProto.Type.TYPE_SFIXED32;
            case "sfixed64" -> FieldDescriptorProto.Type.TYPE_SFIXED64;
            case "sint32" -> FieldDescriptorProto.Type.TYPE_SINT32;
            case "sint64" -> FieldDescriptorProto.Type.TYPE_SINT64;
            default -> null;
        };
        // a named type: protobuf-java resolves the name and tells message from enum when the descriptor is built
        return scalar != null ? b.setType(scalar) : b.setTypeName(type);
    }

    /** protoc's name for a map field's entry type: my_map -> MyMapEntry. */
    static String entryName(String field) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : field.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.append("Entry").toString();
    }

    private static EnumDescriptorProto enumType(EnumElement e) {
        EnumDescriptorProto.Builder b = EnumDescriptorProto.newBuilder().setName(e.getName());
        for (OptionElement o : e.getOptions()) {
            if (o.getName().equals("allow_alias")) {
                b.setOptions(b.getOptions().toBuilder().setAllowAlias(Boolean.parseBoolean(o.getValue().toString())));
            }
        }
        for (EnumConstantElement c : e.getConstants()) {
            b.addValue(EnumValueDescriptorProto.newBuilder().setName(c.getName()).setNumber(c.getTag()));
        }
        return b.build();
    }

}
