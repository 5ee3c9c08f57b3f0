package io.kwsync.model.job;

import io.kwsync.model.Destination;
import io.kwsync.model.MalformedRowEventException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary form of {@link JobMarker} on the rows topic. It starts with its own magic byte, distinct from a row event's,
 * so a reader tells the two apart by the first byte ({@link #isMarker}) and the row-event format stays untouched:
 * rows written before markers existed decode as before.
 *
 * <p>Version 2 appends a flags byte ({@link JobMarker#allowEmpty()}, {@link JobMarker#routed()}). A marker is written in the oldest version that
 * can say what it holds: version 1 unless a flag is set, so a sink that knows only version 1 still completes every run
 * that does not ask for more. Both versions decode.
 */
public final class JobMarkerCodec {

    static final byte MAGIC = (byte) 0xCD;
    static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_FLAGS = 1;
    private static final int ALLOW_EMPTY = 1;
    private static final int ROUTED = 2;

    private JobMarkerCodec() {
    }

    public static boolean isMarker(byte[] bytes) {
        return bytes != null && bytes.length >= 2 && bytes[0] == MAGIC;
    }

    public static byte[] encode(JobMarker m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC);
            int flags = (m.allowEmpty() ? ALLOW_EMPTY : 0) | (m.routed() ? ROUTED : 0);
            out.writeByte(flags != 0 ? VERSION : VERSION_WITHOUT_FLAGS);
            out.writeByte(m.kind().ordinal());
            out.writeUTF(m.runId());
            out.writeInt(m.replaces().size());
            for (Destination d : m.replaces()) {
                out.writeUTF(d.table());
                out.writeInt(d.partition().size());
                for (Map.Entry<String, String> e : d.partition().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
            }
            out.writeInt(m.rowsPartitions());
            out.writeInt(m.rowsPartition());
            out.writeLong(m.rows());
            if (flags != 0) out.writeByte(flags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static JobMarker decode(byte[] bytes) {
        if (!isMarker(bytes)) throw new MalformedRowEventException("not a kwsync job marker (bad magic byte)");
        if (bytes[1] != VERSION && bytes[1] != VERSION_WITHOUT_FLAGS) {
            throw new MalformedRowEventException("unsupported job marker version " + bytes[1]);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 2, bytes.length - 2))) {
            int kind = in.readUnsignedByte();
            if (kind >= JobMarker.Kind.values().length) throw new MalformedRowEventException("unknown job marker kind " + kind);
            String runId = in.readUTF();
            int n = count(in.readInt(), bytes.length);
            List<Destination> replaces = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String table = in.readUTF();
                int np = count(in.readInt(), bytes.length);
                Map<String, String> spec = new LinkedHashMap<>();
                for (int j = 0; j < np; j++) spec.put(in.readUTF(), in.readUTF());
                replaces.add(new Destination(table, spec));
            }
            int rowsPartitions = in.readInt();
            int rowsPartition = in.readInt();
            long rows = in.readLong();
            int flags = bytes[1] == VERSION_WITHOUT_FLAGS ? 0 : in.readUnsignedByte();
            if ((flags & ~(ALLOW_EMPTY | ROUTED)) != 0) throw new MalformedRowEventException("unknown job marker flags " + flags);
            JobMarker m = new JobMarker(JobMarker.Kind.values()[kind], runId, replaces, rowsPartitions, rowsPartition, rows,
                    (flags & ALLOW_EMPTY) != 0, (flags & ROUTED) != 0);
            if (in.available() > 0) throw new MalformedRowEventException(in.available() + " trailing bytes after a job marker");
            return m;
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedRowEventException("truncated or corrupt job marker: " + e.getMessage(), e);
        }
    }

    private static int count(int n, int limit) {
        if (n < 0 || n > limit) throw new MalformedRowEventException("implausible count " + n + " in a job marker");
        return n;
    }
}
