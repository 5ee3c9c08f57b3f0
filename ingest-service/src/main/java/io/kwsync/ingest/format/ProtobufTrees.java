package io.kwsync.ingest.format;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kwsync.model.DirtyRecordException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Protobuf message as a value tree (see {@link Decoded.Tree}), every field of the message type present, in
 * declaration order. Scalars: 32- and 64-bit integers as {@link Long} (uint64 above 2^63 as BigDecimal), float and
 * double as {@link LogicalValues#decimalOf}, bool, string, bytes as byte[], an enum as its value's name (a number the
 * schema does not name as that number). A field without presence that is not set has its default (0, "", false, the
 * first enum value), as the Protobuf JSON mapping prints it with defaults included; a message field, a proto3
 * {@code optional} or proto2 field and a oneof member that are not set are null. Repeated fields are lists, maps are
 * maps with their keys as text.
 *
 * <p>Well-known types: Timestamp as ISO-8601 text, Duration as text ({@code 1.5s}), the wrappers (Int64Value,
 * StringValue, ...) as their value, Struct/Value/ListValue as the JSON they stand for, Empty as an empty record.
 *
 * <p>Fields the schema does not name (unknown fields, on any level) make the record dirty: the writer used another
 * schema than the one its id names.
 */
final class ProtobufTrees {

    private ProtobufTrees() {
    }

    static Object tree(Message m, String where) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, where + " has fields that message type "
                    + m.getDescriptorForType().getFullName() + " does not define: field numbers "
                    + m.getUnknownFields().asMap().keySet() + " (written with another schema?)");
        }
        Descriptor d = m.getDescriptorForType();
        Object known = wellKnown(m, d, where);
        if (known != NOT_WELL_KNOWN) return known;
        List<FieldDescriptor> fields = d.getFields();
        Map<String, Object> out = new LinkedHashMap<>((int) (fields.size() / 0.75f) + 1);
        for (FieldDescriptor f : fields) {
            Object v;
            if (f.isMapField()) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Object entry : (List<?>) m.getField(f)) {
                    Message e = (Message) entry;
                    FieldDescriptor k = e.getDescriptorForType().findFieldByNumber(1);
                    FieldDescriptor val = e.getDescriptorForType().findFieldByNumber(2);
                    map.put(String.valueOf(scalar(k, e.getField(k), where)), value(val, e.getField(val), where));
                }
                v = map;
            } else if (f.isRepeated()) {
                List<?> items = (List<?>) m.getField(f);
                List<Object> list = new ArrayList<>(items.size());
                for (Object item : items) list.add(value(f, item, where));
                v = list;
            } else if (f.hasPresence() && !m.hasField(f)) {
                v = null;
            } else {
                v = value(f, m.getField(f), where);
            }
            out.put(f.getName(), v);
        }
        return out;
    }

    private static Object value(FieldDescriptor f, Object v, String where) {
        return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? tree((Message) v, where) : scalar(f, v, where);
    }

    private static Object scalar(FieldDescriptor f, Object v, String where) {
        return switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> (long) (Integer) v;
            case UINT32, FIXED32 -> Integer.toUnsignedLong((Integer) v);
            case INT64, SINT64, SFIXED64 -> v;
            case UINT64, FIXED64 -> LogicalValues.unsigned((Long) v);
            case FLOAT -> LogicalValues.decimalOf((Float) v);
            case DOUBLE -> LogicalValues.decimalOf((Double) v);
            case BOOL, STRING -> v;
            case BYTES -> ((ByteString) v).toByteArray();
            case ENUM -> enumValue((EnumValueDescriptor) v);
            default -> throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, where + ": unsupported field type " + f.getType());
        };
    }

    private static Object enumValue(EnumValueDescriptor e) {
        // a number the schema does not name comes back as a placeholder value without a real index
        return e.getIndex() < 0 || e.getType().findValueByNumber(e.getNumber()) != e ? (Object) (long) e.getNumber() : e.getName();
    }

    private static final Object NOT_WELL_KNOWN = new Object();

    private static Object wellKnown(Message m, Descriptor d, String where) {
        String name = d.getFullName();
        if (!name.startsWith("google.protobuf.")) return NOT_WELL_KNOWN;
        switch (name) {
            case "google.protobuf.Timestamp" -> {
                return LogicalValues.instant((Long) m.getField(d.findFieldByNumber(1)), (Integer) m.getField(d.findFieldByNumber(2)));
            }
            case "google.protobuf.Duration" -> {
                long seconds = (Long) m.getField(d.findFieldByNumber(1));
                int nanos = (Integer) m.getField(d.findFieldByNumber(2));
                BigDecimal s = BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9)).stripTrailingZeros();
                return s.toPlainString() + "s";
            }
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
                    "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
                    "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" -> {
                FieldDescriptor value = d.findFieldByNumber(1);
                return scalar(value, m.getField(value), where);
            }
            case "google.protobuf.Struct" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                FieldDescriptor fields = d.findFieldByNumber(1);
                for (Object entry : (List<?>) m.getField(fields)) {
                    Message e = (Message) entry;
                    Descriptor ed = e.getDescriptorForType();
                    out.put((String) e.getField(ed.findFieldByNumber(1)), tree((Message) e.getField(ed.findFieldByNumber(2)), where));
                }
                return out;
            }
            case "google.protobuf.Value" -> {
                Map.Entry<FieldDescriptor, Object> set = m.getAllFields().entrySet().stream().findFirst().orElse(null);
                if (set == null || set.getKey().getNumber() == 1) return null; // null_value, or nothing set
                return value(set.getKey(), set.getValue(), where);
            }
            case "google.protobuf.ListValue" -> {
                List<Object> out = new ArrayList<>();
                for (Object item : (List<?>) m.getField(d.findFieldByNumber(1))) out.add(tree((Message) item, where));
                return out;
            }
            default -> {
                return NOT_WELL_KNOWN;
            }
        }
    }
}
