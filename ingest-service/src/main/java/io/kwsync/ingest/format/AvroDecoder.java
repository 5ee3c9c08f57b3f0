package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;
import org.apache.avro.Schema;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro: either in the schema-registry framing, each record naming its writer schema by id ({@link #withRegistry}), or
 * bare Avro binary written with one schema given in configuration ({@link #withSchema}). Records are read with the
 * writer schema only: field names, not positions, reach the columns, so schema evolution needs no reader schema.
 * Dirty: a wrong magic byte, an id the registry does not know or that names a non-Avro schema, truncated input,
 * bytes left over after the value, out-of-range enum or union indexes, dates and times out of range.
 */
public final class AvroDecoder implements RecordDecoder {

    private final SchemaRegistryClient registry;
    private final AvroTreeReader.Node fixed;
    private final Set<String> only;
    private final Map<Integer, AvroTreeReader.Node> byId = new ConcurrentHashMap<>();

    private AvroDecoder(SchemaRegistryClient registry, AvroTreeReader.Node fixed, Set<String> only) {
        this.registry = registry;
        this.fixed = fixed;
        this.only = only;
    }

    public static AvroDecoder withRegistry(SchemaRegistryClient registry) {
        return new AvroDecoder(registry, null, null);
    }

    /**
     * This decoder building only the named top-level fields of record values (the tree lacks the others; values that
     * are not records decode whole). For a column mapping whose JSON paths start at these fields: the fields it does
     * not read cost no objects. Registry decoders only.
     */
    public AvroDecoder only(Set<String> topLevelFields) {
        if (fixed != null) throw new IllegalStateException("projection is for registry decoders");
        return new AvroDecoder(registry, null, Set.copyOf(topLevelFields));
    }

    /**
     * @param schemaJson the writer schema, Avro's JSON schema syntax
     * @throws IllegalArgumentException when it is not a valid Avro schema (a configuration error)
     */
    public static AvroDecoder withSchema(String schemaJson) {
        try {
            return new AvroDecoder(null, AvroTreeReader.compile(new Schema.Parser().parse(schemaJson)), null);
        } catch (RuntimeException e) { // Avro reports some mistakes (an unknown type name) as NullPointerException
            throw new IllegalArgumentException("not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    @Override
    public Decoded decode(byte[] bytes, String what) {
        if (bytes == null) return null;
        if (fixed != null) return new Decoded.Tree(read(fixed, new AvroInput(bytes, 0), what, "the configured schema"));
        int id = ConfluentFrame.schemaId(bytes, what);
        AvroTreeReader.Node node = byId.get(id);
        if (node == null) {
            node = compile(registry.byId(id), what);
            byId.putIfAbsent(id, node);
        }
        return new Decoded.Tree(read(node, new AvroInput(bytes, ConfluentFrame.HEADER), what, "schema id " + id));
    }

    private AvroTreeReader.Node compile(RegisteredSchema s, String what) {
        if (!"AVRO".equals(s.type())) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " names schema id " + s.id() + ", a "
                    + s.type() + " schema, but the format is Avro");
        }
        Schema.Parser parser = new Schema.Parser();
        try {
            parseReferences(parser, s, new HashSet<>());
            Schema schema = parser.parse(s.text());
            return only == null ? AvroTreeReader.compile(schema) : AvroTreeReader.compile(schema, only);
        } catch (RegistryUnavailableException | DirtyRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "schema id " + s.id()
                    + " in the schema registry is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    /** Named types from referenced subjects are parsed first, so the schema can use them. */
    private void parseReferences(Schema.Parser parser, RegisteredSchema s, Set<RegisteredSchema.Reference> seen) {
        for (RegisteredSchema.Reference r : s.references()) {
            if (!seen.add(r)) continue;
            RegisteredSchema ref = registry.referenced(r);
            parseReferences(parser, ref, seen);
            parser.parse(ref.text());
        }
    }

    private static Object read(AvroTreeReader.Node node, AvroInput in, String what, String schema) {
        Object v;
        try {
            v = node.read(in);
        } catch (AvroInput.Truncated e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is not Avro of " + schema
                    + " (truncated or written with another schema): " + e.getMessage());
        }
        if (!in.atEnd()) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " has " + in.remaining()
                    + " bytes left after an Avro value of " + schema + " (written with another schema?)");
        }
        return v;
    }
}
