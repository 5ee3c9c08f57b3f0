package io.kwsync.ingest.format;

/**
 * Decodes the key or value bytes of a source record of one format into the form the column mapping reads
 * ({@link Decoded}). Pure apart from fetching schemas: implementations are thread-safe and keep what they compile
 * per schema.
 *
 * <p>Outcomes: a {@link Decoded} (null for null bytes, a Kafka tombstone); {@link io.kwsync.model.DirtyRecordException}
 * (stage DECODE, with the reason) for bytes that cannot be decoded, which go to the error topic;
 * {@link RegistryUnavailableException} when a schema is needed and the registry cannot be reached, in which case the
 * record must wait and be decoded again later.
 */
public interface RecordDecoder {

    /**
     * @param what "key" or "value", for the message of a dirty record
     */
    Decoded decode(byte[] bytes, String what);
}
