package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

/**
 * The Confluent wire format that schema-registry serializers write: a magic byte 0, the schema id as a 4-byte
 * big-endian integer, then the payload (for Protobuf, message indexes come first, see {@link #messageIndexes}).
 */
public final class ConfluentFrame {

    /** Bytes before the payload. */
    public static final int HEADER = 5;

    private ConfluentFrame() {
    }

    /**
     * The schema id of framed bytes.
     *
     * @param what "key" or "value", for the message of a dirty record
     */
    public static int schemaId(byte[] b, String what) {
        if (b.length < HEADER) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " has " + b.length
                    + " bytes, too short for the schema registry framing (magic byte 0 and a 4-byte schema id)");
        }
        if (b[0] != 0) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " starts with byte 0x"
                    + String.format("%02x", b[0] & 0xFF) + ", not the schema registry framing's magic byte 0x00"
                    + " (written by another serializer?)");
        }
        return ((b[1] & 0xFF) << 24) | ((b[2] & 0xFF) << 16) | ((b[3] & 0xFF) << 8) | (b[4] & 0xFF);
    }

    /**
     * Reads the Protobuf message indexes after the header: the path to the message type in the schema, as a
     * zig-zag varint count and that many zig-zag varint indexes; a single 0 byte stands for [0], the first
     * top-level message. Returns the indexes and, in {@code end[0]}, the offset of the payload.
     */
    public static int[] messageIndexes(byte[] b, int[] end, String what) {
        int[] pos = {HEADER};
        int count = zigzag(b, pos, what);
        if (count == 0) {
            end[0] = pos[0];
            return new int[]{0};
        }
        if (count < 0 || count > b.length - pos[0]) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " has an implausible Protobuf message index count " + count);
        }
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) indexes[i] = zigzag(b, pos, what);
        end[0] = pos[0];
        return indexes;
    }

    private static int zigzag(byte[] b, int[] pos, String what) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos[0] >= b.length) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " ends inside its Protobuf message indexes");
            }
            byte x = b[pos[0]++];
            raw |= (x & 0x7F) << shift;
            if (x >= 0) return (raw >>> 1) ^ -(raw & 1);
        }
        throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " has a malformed Protobuf message index");
    }
}
