package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamReader;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamWriter;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.io.CompressOption;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tunnel's record stream in both directions, with the SDK's own classes: uploaded blocks are read with
 * {@link ProtobufRecordStreamReader} (which also checks the stream's checksums), downloads are written with
 * {@link ProtobufRecordStreamWriter}.
 */
final class Blocks {

    private Blocks() {
    }

    /** The compression a {@code Content-Encoding} names, as the SDK sets it on uploads. */
    static CompressOption compression(String encoding) {
        return switch (encoding == null ? "" : encoding) {
            case "" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);
            case "deflate" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0);
            case "x-snappy-framed" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_SNAPPY, 1, 0);
            case "x-lz4-frame" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_LZ4_FRAME, 1, 0);
            case "zstd" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZSTD, 1, 0);
            default -> throw new Refusal(400, "UnsupportedEncoding", "Content-Encoding " + encoding + " is not supported");
        };
    }

    /**
     * Reads a block as rows of {@code table}; columns of {@code schema} beyond the table's (the upsert meta columns)
     * are added to each row under their own names.
     */
    static List<Map<String, Object>> decode(EmulatedTable table, TableSchema schema, byte[] body, String encoding) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ProtobufRecordStreamReader reader = new ProtobufRecordStreamReader(schema, new ByteArrayInputStream(body),
                compression(encoding))) {
            Record r;
            while ((r = reader.read()) != null) {
                Map<String, Object> row = table.toRow(r);
                for (int i = table.schema.getColumns().size(); i < schema.getColumns().size(); i++) {
                    row.put(schema.getColumn(i).getName(), r.get(i));
                }
                rows.add(row);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Refusal refusal) throw refusal;
            throw Refusal.malformed("cannot read the block: " + e.getMessage());
        }
        return rows;
    }

    /** Writes rows of {@code table}, every column, as an uncompressed record stream. */
    static byte[] encode(EmulatedTable table, List<Map<String, Object>> rows) throws IOException {
        TableSchema schema = table.schema;
        Column[] cols = schema.getColumns().toArray(new Column[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtobufRecordStreamWriter writer = new ProtobufRecordStreamWriter(schema, out,
                new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0));
        try {
            for (Map<String, Object> row : rows) {
                ArrayRecord r = new ArrayRecord(cols);
                for (Column c : cols) {
                    Object v = row.get(c.getName());
                    r.set(c.getName(), v instanceof byte[] b ? new Binary(b) : v);
                }
                writer.write(r);
            }
        } finally {
            writer.close();
        }
        return out.toByteArray();
    }
}
