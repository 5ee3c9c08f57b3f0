package io.kwsync.ingest.format;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Protobuf binary data of one message type straight into a value tree, with a plan compiled once per message
 * type from its descriptor: no DynamicMessage, whose generic field maps cost several times what JSON parsing does.
 * The values are those {@link ProtobufDecoder} documents.
 *
 * <p>Wire rules kept: a field may come in any order and any number of times (the last scalar wins, repeated values
 * add up, a message field seen twice is merged, a oneof member clears the others); repeated scalars may be packed or
 * not; an enum number the schema does not name is kept as the number. Refused ({@link Malformed}): a field number the
 * message type does not define (an unknown field), a wire type that does not fit the field, groups, missing proto2
 * required fields, invalid UTF-8 in proto3 strings, and anything truncated.
 */
final class ProtobufTreeReader {

    /** Why bytes are not a message of the plan's type. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** A message type's reading plan. */
    static final class Plan {
        final Descriptor type;
        final Slot[] slots;
        final Map<Integer, Slot> byNumber = new HashMap<>();
        Slot[] direct;
        final String wellKnown;
        final boolean proto3;
        /** Fields skipped unread and left out of the tree (a projection), or null for none. */
        boolean[] skip;

        Plan(Descriptor type) {
            this.type = type;
            List<FieldDescriptor> fields = type.getFields();
            this.slots = new Slot[fields.size()];
            this.wellKnown = type.getFullName().startsWith("google.protobuf.") ? type.getFullName() : null;
            this.proto3 = type.getFile().toProto().getSyntax().equals("proto3");
        }

        /** This plan reading only the named fields; the others are skipped on the wire and absent from the tree. */
        Plan only(java.util.Set<String> names) {
            Plan p = new Plan(type);
            System.arraycopy(slots, 0, p.slots, 0, slots.length);
            p.byNumber.putAll(byNumber);
            p.direct = direct;
            p.skip = new boolean[slots.length];
            for (Slot s : slots) p.skip[s.index] = !names.contains(s.name);
            return p;
        }
    }

    /** One field of a plan. */
    static final class Slot {
        final int index;
        final FieldDescriptor field;
        final String name;
        // asked of the descriptor once: in protobuf-java 4 some of these resolve features on every call
        final FieldDescriptor.Type type;
        final boolean map;
        final boolean repeated;
        final boolean packable;
        final boolean presence;
        final boolean required;
        final int wireType;
        Plan message;
        Slot[] oneofSiblings = new Slot[0];

        Slot(int index, FieldDescriptor field) {
            this.index = index;
            this.field = field;
            this.name = field.getName();
            this.type = field.getType();
            this.map = field.isMapField();
            this.repeated = field.isRepeated();
            this.packable = field.isPackable();
            this.presence = field.hasPresence();
            this.required = field.isRequired();
            this.wireType = field.getLiteType().getWireType();
        }
    }

    private final Map<Descriptor, Plan> plans = new HashMap<>();

    /** Compiles the plans of a type and of every type reachable from it. Not thread-safe: compile, then share. */
    Plan plan(Descriptor type) {
        Plan p = plans.get(type);
        if (p != null) return p;
        p = new Plan(type);
        plans.put(type, p);
        int max = 0;
        for (int i = 0; i < p.slots.length; i++) {
            FieldDescriptor f = type.getFields().get(i);
            Slot s = new Slot(i, f);
            p.slots[i] = s;
            p.byNumber.put(f.getNumber(), s);
            max = Math.max(max, f.getNumber());
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) s.message = plan(f.getMessageType());
        }
        for (Slot s : p.slots) {
            if (s.field.getRealContainingOneof() != null) {
                s.oneofSiblings = Arrays.stream(p.slots)
                        .filter(o -> o != s && o.field.getRealContainingOneof() == s.field.getRealContainingOneof()).toArray(Slot[]::new);
            }
        }
        if (max <= 64) {
            p.direct = new Slot[max + 1];
            for (Slot s : p.slots) p.direct[s.field.getNumber()] = s;
        }
        return p;
    }

    /** Reads a whole input as one message of the plan's type into raw slot values (see {@link #tree}). */
    static Object[] read(Plan p, CodedInputStream in) throws IOException {
        return read(p, in, 0);
    }

    private static Object[] read(Plan p, CodedInputStream in, int depth) throws IOException {
        Object[] raw = new Object[p.slots.length];
        while (true) {
            int tag = in.readTag();
            if (tag == 0) return raw;
            int number = WireFormat.getTagFieldNumber(tag);
            Slot s = p.direct != null ? (number < p.direct.length ? p.direct[number] : null) : p.byNumber.get(number);
            if (s == null) {
                throw new Malformed("field number " + number + " is not defined by message type " + p.type.getFullName()
                        + " (written with another schema?)");
            }
            if (p.skip != null && p.skip[s.index]) {
                in.skipField(tag);
                continue;
            }
            int wire = WireFormat.getTagWireType(tag);
            if (wire == WireFormat.WIRETYPE_START_GROUP || wire == WireFormat.WIRETYPE_END_GROUP) {
                throw new Malformed("field " + s.name + " is a group, which is not supported");
            }
            if (s.repeated) {
                @SuppressWarnings("unchecked") List<Object> list = raw[s.index] == null ? new ArrayList<>() : (List<Object>) raw[s.index];
                raw[s.index] = list;
                if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED && s.packable) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) list.add(scalar(p, s, in));
                    in.popLimit(limit);
                } else {
                    expect(s, wire);
                    list.add(s.message != null ? message(s.message, in, depth) : scalar(p, s, in));
                }
            } else {
                expect(s, wire);
                if (s.message != null) {
                    Object[] m = message(s.message, in, depth);
                    raw[s.index] = raw[s.index] instanceof Object[] earlier ? merge(s.message, earlier, m) : m;
                } else {
                    raw[s.index] = scalar(p, s, in);
                }
                for (Slot o : s.oneofSiblings) raw[o.index] = null;
            }
        }
    }

    /** Nesting deeper than this is refused rather than risking the stack (protobuf-java's own limit is 100). */
    static final int MAX_DEPTH = 100;

    private static Object[] message(Plan p, CodedInputStream in, int depth) throws IOException {
        if (depth >= MAX_DEPTH) throw new Malformed("messages nested deeper than " + MAX_DEPTH);
        int limit = in.pushLimit(in.readRawVarint32());
        Object[] raw = read(p, in, depth + 1);
        in.popLimit(limit);
        return raw;
    }

    private static void expect(Slot s, int wire) {
        if (wire != s.wireType) {
            throw new Malformed("field " + s.name + " has wire type " + wire + ", its type " + s.type + " needs " + s.wireType);
        }
    }

    private static Object[] merge(Plan p, Object[] into, Object[] from) {
        for (int i = 0; i < from.length; i++) {
            if (from[i] == null) continue;
            if (into[i] instanceof List<?> a && from[i] instanceof List<?> b) {
                @SuppressWarnings("unchecked") List<Object> l = (List<Object>) a;
                l.addAll(b);
            } else if (into[i] instanceof Object[] a && from[i] instanceof Object[] b) {
                into[i] = merge(p.slots[i].message, a, b);
            } else {
                into[i] = from[i];
            }
        }
        return into;
    }

    private static Object scalar(Plan p, Slot s, CodedInputStream in) throws IOException {
        return switch (s.type) {
            case INT32 -> (long) in.readInt32();
            case SINT32 -> (long) in.readSInt32();
            case SFIXED32 -> (long) in.readSFixed32();
            case UINT32 -> Integer.toUnsignedLong(in.readUInt32());
            case FIXED32 -> Integer.toUnsignedLong(in.readFixed32());
            case INT64 -> in.readInt64();
            case SINT64 -> in.readSInt64();
            case SFIXED64 -> in.readSFixed64();
            case UINT64 -> LogicalValues.unsigned(in.readUInt64());
            case FIXED64 -> LogicalValues.unsigned(in.readFixed64());
            case FLOAT -> LogicalValues.decimalOf(in.readFloat());
            case DOUBLE -> LogicalValues.decimalOf(in.readDouble());
            case BOOL -> in.readBool();
            case STRING -> p.proto3 ? in.readStringRequireUtf8() : in.readString();
            case BYTES -> in.readByteArray();
            case ENUM -> enumValue(s.field, in.readEnum());
            default -> throw new Malformed("unsupported field type " + s.type);
        };
    }

    private static Object enumValue(FieldDescriptor f, int number) {
        EnumValueDescriptor v = f.getEnumType().findValueByNumber(number);
        return v == null ? (Object) (long) number : v.getName();
    }

    /** The tree of raw slot values: every field present, defaults filled in, well-known types converted. */
    static Object tree(Plan p, Object[] raw) {
        for (Slot s : p.slots) {
            if (s.required && raw[s.index] == null && (p.skip == null || !p.skip[s.index])) {
                throw new Malformed("required field " + s.name + " of " + p.type.getFullName() + " is missing");
            }
        }
        if (p.wellKnown != null) {
            Object known = wellKnown(p, raw);
            if (known != NOT_WELL_KNOWN) return known;
        }
        Map<String, Object> out = new LinkedHashMap<>((int) (p.slots.length / 0.75f) + 1);
        for (Slot s : p.slots) {
            if (p.skip == null || !p.skip[s.index]) out.put(s.name, value(s, raw[s.index]));
        }
        return out;
    }

    private static Object value(Slot s, Object v) {
        if (s.map) {
            Map<String, Object> map = new LinkedHashMap<>();
            if (v != null) {
                Slot key = s.message.slots[0].field.getNumber() == 1 ? s.message.slots[0] : s.message.slots[1];
                Slot val = key == s.message.slots[0] ? s.message.slots[1] : s.message.slots[0];
                for (Object entry : (List<?>) v) {
                    Object[] e = (Object[]) entry;
                    map.put(String.valueOf(value(key, e[key.index])), value(val, e[val.index]));
                }
            }
            return map;
        }
        if (s.repeated) {
            if (v == null) return new ArrayList<>(0);
            if (s.message == null) return v;
            List<?> items = (List<?>) v;
            List<Object> out = new ArrayList<>(items.size());
            for (Object item : items) out.add(tree(s.message, (Object[]) item));
            return out;
        }
        if (v != null) return s.message != null ? tree(s.message, (Object[]) v) : v;
        if (s.presence) return null;
        return defaultValue(s.field);
    }

    private static Object defaultValue(FieldDescriptor f) {
        return switch (f.getType()) {
            case INT32, SINT32, SFIXED32, INT64, SINT64, SFIXED64, UINT32, FIXED32, UINT64, FIXED64 -> 0L;
            case FLOAT, DOUBLE -> BigDecimal.valueOf(0, 1); // 0.0, as a zero double prints
            case BOOL -> Boolean.FALSE;
            case STRING -> "";
            case BYTES -> new byte[0];
            case ENUM -> f.getEnumType().getValues().get(0).getName();
            default -> null;
        };
    }

    private static final Object NOT_WELL_KNOWN = new Object();

    private static Object wellKnown(Plan p, Object[] raw) {
        switch (p.wellKnown) {
            case "google.protobuf.Timestamp" -> {
                return LogicalValues.instant(raw[0] == null ? 0L : (Long) raw[0], raw[1] == null ? 0 : ((Long) raw[1]).intValue());
            }
            case "google.protobuf.Duration" -> {
                long seconds = raw[0] == null ? 0L : (Long) raw[0];
                long nanos = raw[1] == null ? 0L : (Long) raw[1];
                return BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9)).stripTrailingZeros().toPlainString() + "s";
            }
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
                    "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
                    "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" -> {
                return value(p.slots[0], raw[0]);
            }
            case "google.protobuf.Struct" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                if (raw[0] != null) {
                    Plan entry = p.slots[0].message;
                    for (Object e : (List<?>) raw[0]) {
                        Object[] kv = (Object[]) e;
                        out.put((String) kv[0], kv[1] == null ? null : tree(entry.slots[1].message, (Object[]) kv[1]));
                    }
                }
                return out;
            }
            case "google.protobuf.Value" -> {
                for (Slot s : p.slots) {
                    if (raw[s.index] != null && s.field.getNumber() != 1) return value(s, raw[s.index]);
                }
                return null;
            }
            case "google.protobuf.ListValue" -> {
                return value(p.slots[0], raw[0]);
            }
            default -> {
                return NOT_WELL_KNOWN;
            }
        }
    }
}
