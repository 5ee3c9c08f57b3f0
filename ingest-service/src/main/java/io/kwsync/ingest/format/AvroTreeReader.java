package io.kwsync.ingest.format;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Avro binary data written with one schema straight into a value tree (see {@link Decoded.Tree}), with a
 * reader compiled once per schema, so a record costs no schema walk, no GenericRecord and no second copy.
 *
 * <p>Values: int and long as {@link Long}; float and double as {@link java.math.BigDecimal} ({@link LogicalValues});
 * string as String; bytes and fixed as byte[]; enum as its symbol; array as List; map and record as Map (fields in
 * schema order); a union as the value of its branch (so an optional field is its value or null). Logical types:
 * decimal as BigDecimal; date, time-millis, time-micros, timestamp-millis/-micros/-nanos and
 * local-timestamp-millis/-micros/-nanos as ISO-8601 text; uuid as its text. Kafka Connect's {@code connect.name}
 * semantic types (Debezium's dates and times) are converted by {@link ConnectTypes}.
 */
final class AvroTreeReader {

    /** Reads one value of a compiled schema. */
    interface Node {
        Object read(AvroInput in);
    }

    private AvroTreeReader() {
    }

    static Node compile(Schema schema) {
        return new Compiler().node(schema);
    }

    /**
     * A reader that builds only the named top-level fields of a record schema; the others are skipped over without
     * building their values (the tree lacks them). For column mappings that read a few fields of wide records.
     */
    static Node compile(Schema schema, java.util.Set<String> topLevelFields) {
        if (schema.getType() != Schema.Type.RECORD) return compile(schema);
        Compiler c = new Compiler();
        List<Schema.Field> fields = schema.getFields();
        List<String> names = new ArrayList<>();
        Node[] readers = new Node[fields.size()];
        boolean[] kept = new boolean[fields.size()];
        for (int i = 0; i < readers.length; i++) {
            Schema.Field f = fields.get(i);
            kept[i] = topLevelFields.contains(f.name());
            readers[i] = kept[i] ? c.node(f.schema()) : c.skipper(f.schema());
            names.add(f.name());
        }
        return in -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < readers.length; i++) {
                Object v = readers[i].read(in);
                if (kept[i]) out.put(names.get(i), v);
            }
            return out;
        };
    }

    private static final class Compiler {
        /** Records being compiled, for recursive schemas (a linked list of itself). */
        private final Map<Schema, Node[]> records = new IdentityHashMap<>();

        Node node(Schema s) {
            Node base = base(s);
            String connect = s.getProp("connect.name");
            if (connect == null || s.getType() == Schema.Type.RECORD && !connect.startsWith("io.debezium.data.")) return base;
            Map<String, Object> params = new LinkedHashMap<>();
            if (s.getObjectProp("connect.parameters") instanceof Map<?, ?> m) m.forEach((k, v) -> params.put(k.toString(), v));
            return in -> ConnectTypes.convert(connect, params, base.read(in));
        }

        private Node base(Schema s) {
            LogicalType logical = s.getLogicalType();
            switch (s.getType()) {
                case NULL:
                    return in -> null;
                case BOOLEAN:
                    return AvroInput::readBoolean;
                case INT:
                    if (logical instanceof LogicalTypes.Date) return in -> LogicalValues.date(in.readInt());
                    if (logical instanceof LogicalTypes.TimeMillis) return in -> LogicalValues.time(in.readInt(), 1_000_000L);
                    return in -> (long) in.readInt();
                case LONG:
                    return longNode(logical);
                case FLOAT:
                    return in -> LogicalValues.decimalOf(in.readFloat());
                case DOUBLE:
                    return in -> LogicalValues.decimalOf(in.readDouble());
                case STRING:
                    return AvroInput::readString;
                case BYTES:
                    if (logical instanceof LogicalTypes.Decimal d) return in -> LogicalValues.decimal(in.readBytes(), d.getScale());
                    return AvroInput::readBytes;
                case FIXED: {
                    int size = s.getFixedSize();
                    if (logical instanceof LogicalTypes.Decimal d) return in -> LogicalValues.decimal(in.readFixed(size), d.getScale());
                    return in -> in.readFixed(size);
                }
                case ENUM: {
                    String[] symbols = s.getEnumSymbols().toArray(new String[0]);
                    return in -> {
                        int i = in.readInt();
                        if (i < 0 || i >= symbols.length) throw new AvroInput.Truncated("enum index " + i + " of " + s.getFullName() + " out of range");
                        return symbols[i];
                    };
                }
                case ARRAY: {
                    Node item = node(s.getElementType());
                    int min = minBytes(s.getElementType());
                    return in -> {
                        List<Object> out = new ArrayList<>();
                        for (long n = in.blockCount(min); n != 0; n = in.blockCount(min)) {
                            for (long i = 0; i < n; i++) out.add(item.read(in));
                        }
                        return out;
                    };
                }
                case MAP: {
                    Node value = node(s.getValueType());
                    int min = 1 + minBytes(s.getValueType());
                    return in -> {
                        Map<String, Object> out = new LinkedHashMap<>();
                        for (long n = in.blockCount(min); n != 0; n = in.blockCount(min)) {
                            for (long i = 0; i < n; i++) {
                                String k = in.readString();
                                out.put(k, value.read(in));
                            }
                        }
                        return out;
                    };
                }
                case UNION: {
                    Node[] branches = s.getTypes().stream().map(this::node).toArray(Node[]::new);
                    return in -> {
                        int i = in.readInt();
                        if (i < 0 || i >= branches.length) throw new AvroInput.Truncated("union branch " + i + " out of range");
                        return branches[i].read(in);
                    };
                }
                case RECORD:
                    return record(s);
                default:
                    throw new IllegalArgumentException("unsupported Avro type " + s.getType());
            }
        }

        private Node longNode(LogicalType logical) {
            if (logical == null) return AvroInput::readLong;
            return switch (logical.getName()) {
                case "time-micros" -> in -> LogicalValues.time(in.readLong(), 1_000L);
                case "timestamp-millis" -> in -> LogicalValues.instant(in.readLong(), 1_000L);
                case "timestamp-micros" -> in -> LogicalValues.instant(in.readLong(), 1_000_000L);
                case "timestamp-nanos" -> in -> LogicalValues.instant(in.readLong(), 1_000_000_000L);
                case "local-timestamp-millis" -> in -> LogicalValues.local(in.readLong(), 1_000L);
                case "local-timestamp-micros" -> in -> LogicalValues.local(in.readLong(), 1_000_000L);
                case "local-timestamp-nanos" -> in -> LogicalValues.local(in.readLong(), 1_000_000_000L);
                default -> AvroInput::readLong;
            };
        }

        private Node record(Schema s) {
            Node[] self = records.get(s);
            if (self != null) return in -> self[0].read(in); // recursion: bound once compiled
            Node[] slot = new Node[1];
            records.put(s, slot);
            List<Schema.Field> fields = s.getFields();
            String[] names = new String[fields.size()];
            Node[] readers = new Node[fields.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = fields.get(i).name();
                readers[i] = node(fields.get(i).schema());
            }
            int capacity = (int) (names.length / 0.75f) + 1;
            slot[0] = in -> {
                Map<String, Object> out = new LinkedHashMap<>(capacity);
                for (int i = 0; i < names.length; i++) out.put(names[i], readers[i].read(in));
                return out;
            };
            records.remove(s);
            return slot[0];
        }

        /** Consumes a value without building it (cheap for scalars, strings and bytes; others are read and dropped). */
        Node skipper(Schema s) {
            return switch (s.getType()) {
                case NULL -> in -> null;
                case BOOLEAN -> in -> {
                    in.skip(1);
                    return null;
                };
                case INT, LONG, ENUM -> in -> {
                    in.readLong();
                    return null;
                };
                case FLOAT -> in -> {
                    in.skip(4);
                    return null;
                };
                case DOUBLE -> in -> {
                    in.skip(8);
                    return null;
                };
                case STRING, BYTES -> in -> {
                    in.skipBytes();
                    return null;
                };
                case FIXED -> in -> {
                    in.skip(s.getFixedSize());
                    return null;
                };
                case UNION -> {
                    Node[] branches = s.getTypes().stream().map(this::skipper).toArray(Node[]::new);
                    yield in -> {
                        int i = in.readInt();
                        if (i < 0 || i >= branches.length) throw new AvroInput.Truncated("union branch " + i + " out of range");
                        return branches[i].read(in);
                    };
                }
                default -> node(s);
            };
        }

        /** The fewest bytes a value of this schema takes (0 for null and empty records). */
        private static int minBytes(Schema s) {
            return switch (s.getType()) {
                case NULL -> 0;
                case FLOAT -> 4;
                case DOUBLE -> 8;
                case FIXED -> s.getFixedSize();
                case RECORD -> 0; // all of its fields may be null
                default -> 1;
            };
        }
    }
}
