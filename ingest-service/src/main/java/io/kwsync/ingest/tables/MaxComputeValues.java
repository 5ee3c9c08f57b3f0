package io.kwsync.ingest.tables;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.Struct;
import com.aliyun.odps.data.Varchar;

import java.sql.Timestamp;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MaxCompute column's value as the plain Java value the Kafka Writer's record building takes: STRING, VARCHAR and
 * CHAR as String, integers as Long, FLOAT as Float, DOUBLE as Double, DECIMAL as BigDecimal, BOOLEAN, DATE as
 * LocalDate, DATETIME and TIMESTAMP as Instant (shown in the job's zone), TIMESTAMP_NTZ as LocalDateTime, BINARY as
 * byte[], ARRAY as List, MAP as Map, STRUCT as a Map of its fields, intervals as their text.
 */
final class MaxComputeValues {

    private MaxComputeValues() {
    }

    static Object read(Record r, int i, Column column) {
        if (r.get(i) == null) return null;
        if (column.getTypeInfo().getOdpsType() == OdpsType.STRING) return r.getString(i);
        return plain(r.get(i));
    }

    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double
                || v instanceof Float || v instanceof java.math.BigDecimal) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof byte[] b) return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        if (v instanceof Varchar s) return s.getValue();
        if (v instanceof Char s) return s.getValue();
        if (v instanceof Binary b) return b.data();
        if (v instanceof Timestamp t) return t.toInstant();
        if (v instanceof java.sql.Date d) return d.toLocalDate();
        if (v instanceof java.util.Date d) return d.toInstant();
        if (v instanceof ZonedDateTime t) return t.toInstant();
        if (v instanceof java.time.Instant || v instanceof java.time.LocalDate || v instanceof java.time.LocalDateTime) return v;
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) out.add(plain(e));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, e) -> out.put(plain(k), plain(e)));
            return out;
        }
        if (v instanceof Struct s) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int f = 0; f < s.getFieldCount(); f++) out.put(s.getFieldName(f), plain(s.getFieldValue(f)));
            return out;
        }
        return v.toString();
    }
}
