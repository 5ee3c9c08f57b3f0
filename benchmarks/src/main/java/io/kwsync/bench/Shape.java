package io.kwsync.bench;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two record shapes of the benchmark (--shape). NARROW: 7 fields, about 200 bytes of JSON (the default, and the
 * shape of every figure before the wide one existed). WIDE: 50 fields, about 2 KB: 2 keys, 12 integers, 8 decimals
 * (as JSON strings), 8 date-times (ISO-8601 strings) and 20 texts of 50 characters, so that costs paid per column
 * (coercion, number and date-time formatting, escaping) show. Values depend only on the hash of the record number.
 */
enum Shape {
    NARROW, WIDE;

    static final int LONGS = 12;
    static final int DECIMALS = 8;
    static final int STAMPS = 8;
    static final int TEXTS = 20;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

    /** A DATETIME(3) value: ISO-8601 with a 'T' in the JSON, a space in the bulk loads' CSV. */
    record Stamp(LocalDateTime at) {
        String json() {
            return ISO.format(at);
        }

        @Override
        public String toString() {
            return json().replace('T', ' ');
        }
    }

    static Shape parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** The column names, in the order of the fields. */
    List<String> columns() {
        if (this == NARROW) return List.of("id", "produced_ms", "customer", "amount", "status", "city", "note");
        List<String> c = new ArrayList<>(List.of("id", "produced_ms"));
        for (int i = 1; i <= LONGS; i++) c.add("l" + i);
        for (int i = 1; i <= DECIMALS; i++) c.add("d" + i);
        for (int i = 1; i <= STAMPS; i++) c.add("t" + i);
        for (int i = 1; i <= TEXTS; i++) c.add("s" + i);
        return c;
    }

    /** The table's column definitions (without the benchmark's committed_at). */
    String ddl(Database db) {
        if (this == NARROW) {
            return "id BIGINT PRIMARY KEY, produced_ms BIGINT NOT NULL, customer VARCHAR(32) NOT NULL,"
                    + " amount DECIMAL(12,2) NOT NULL, status VARCHAR(16) NOT NULL, city VARCHAR(16) NOT NULL, note VARCHAR(96) NOT NULL";
        }
        String stamp = db == Database.MARIADB ? "DATETIME(3)" : "TIMESTAMP(3)";
        StringBuilder sb = new StringBuilder("id BIGINT PRIMARY KEY, produced_ms BIGINT NOT NULL");
        for (String c : columns().subList(2, columns().size())) {
            String type = switch (c.charAt(0)) {
                case 'l' -> "BIGINT";
                case 'd' -> "DECIMAL(14,4)";
                case 't' -> stamp;
                default -> "VARCHAR(64)";
            };
            sb.append(", ").append(c).append(' ').append(type).append(" NOT NULL");
        }
        return sb.toString();
    }

    /** The wide fields of a record with hash h; Longs are JSON numbers, everything else a JSON string. */
    static Object[] wide(long i, long producedMs, long h) {
        List<Object> f = new ArrayList<>(50);
        f.add(i);
        f.add(producedMs);
        long x = h;
        for (int k = 0; k < LONGS; k++) f.add((x = mix(x + k)) >> (k * 5));
        for (int k = 0; k < DECIMALS; k++) {
            x = mix(x + k);
            f.add(Long.remainderUnsigned(x, 10_000_000_000L) + "." + String.format(Locale.ROOT, "%04d", Long.remainderUnsigned(x >>> 40, 10_000)));
        }
        for (int k = 0; k < STAMPS; k++) {
            x = mix(x + k);
            f.add(new Stamp(LocalDateTime.ofEpochSecond(1_700_000_000L + Long.remainderUnsigned(x, 100_000_000L),
                    (int) Long.remainderUnsigned(x >>> 30, 1000) * 1_000_000, ZoneOffset.UTC)));
        }
        for (int k = 0; k < TEXTS; k++) {
            char[] s = new char[50];
            for (int c = 0; c < s.length; c++) {
                x = mix(x + c);
                s[c] = (char) ('a' + (int) Long.remainderUnsigned(x, 26));
            }
            f.add(new String(s));
        }
        return f.toArray();
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
