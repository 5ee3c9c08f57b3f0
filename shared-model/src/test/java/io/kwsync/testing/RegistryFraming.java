package io.kwsync.testing;

import java.io.ByteArrayOutputStream;

/**
 * The Confluent schema registry's wire framing, as its serializers write it, for tests and benchmarks that produce
 * registry-framed records: magic byte 0, the schema id big-endian, for Protobuf the message indexes, then the payload.
 */
public final class RegistryFraming {

    private RegistryFraming() {
    }

    /**
     * @param messageIndexes Protobuf only: the path of the message type in its schema; none for Avro and JSON Schema.
     *                       The common {@code [0]} (the first message type) is written as the single byte 0, as the
     *                       serializers do.
     */
    public static byte[] frame(int id, byte[] payload, int... messageIndexes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        if (messageIndexes != null && messageIndexes.length > 0) {
            if (messageIndexes.length == 1 && messageIndexes[0] == 0) {
                out.write(0);
            } else {
                zigzag(out, messageIndexes.length);
                for (int i : messageIndexes) zigzag(out, i);
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void zigzag(ByteArrayOutputStream out, int v) {
        int z = (v << 1) ^ (v >> 31);
        while ((z & ~0x7F) != 0) {
            out.write((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        out.write(z);
    }
}
