package io.kwsync.sink.maxcompute;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast reading of ISO-8601 date-times gives exactly what java.time's formatters give, and leaves to them every
 * text it does not read plainly: compared on hand-picked edge cases and on many random variations of valid text.
 */
class DateTimeTextTest {

    /** The formatter the sink used alone before (TypedValues' local date-time shape). */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME).toFormatter(Locale.ROOT);

    static final List<String> CASES = List.of("2020-11-17T14:30:00", "2020-11-17 14:30:00.123", "2020-11-17t14:30",
            "2020-11-17T14:30:00.123456789", "2020-11-17T14:30:00.1234567891", "2020-11-17T14:30:00.", "2020-11-17T14:30:0",
            "2020-02-29T00:00:00", "2021-02-29T00:00:00", "2020-04-31T10:00", "2020-04-30T10:00", "1900-02-29T00:00",
            "2000-02-29T00:00", "2020-13-01T00:00", "2020-00-01T00:00", "2020-01-00T00:00", "2020-01-32T00:00",
            "2020-11-17T24:00", "2020-11-17T23:60", "2020-11-17T23:59:60", "2020-11-17T23:59:59.999999999",
            "0000-01-01T00:00", "9999-12-31T23:59:59", "+10000-01-01T00:00", "2020-1-17T14:30", "2020-11-17T4:30",
            "2020-11-17T 14:30", "2020-11-1714:30", "2020-11-17", "14:30", "", "garbage-text-here", "2020/11/17 14:30",
            "2020-11-17T14:30:00Z", "2020-11-17T06:30:00.5Z", "2020-11-17T14:30+08:00", "2020-11-17T14:30:00-05:30",
            "2020-11-17T14:30:00-00:00", "2020-11-17T14:30:00+18:00", "2020-11-17T14:30:00+18:01", "2020-11-17T14:30:00+19:00",
            "2020-11-17T14:30:00+17:59", "2020-11-17T14:30:00+08:00:30", "2020-11-17T14:30:00+0800", "2020-11-17T14:30:00+08",
            "2020-11-17T14:30:00z", "2020-11-17 14:30:00Z", "2020-11-17t14:30:00Z", "2020-11-17T14:30:00+08:60",
            "2020-11-17T14:30:00.123+01:00", "2020-11-17T14:30:00.+01:00", "2020-02-30T14:30:00Z", "1970-01-01T00:00Z",
            "2020-11-17T14:30:00 Z", "2020-11-17T14:30:00+8:00", "2020-11-17T14:30:00Z[UTC]", "2020-11-17T14:30:00+08:00Z");

    @Test
    void readsWhatTheFormattersRead() {
        int readHere = 0;
        for (String s : CASES) readHere += same(s);
        assertTrue(readHere >= 15, "most plain cases are read here: " + readHere);
    }

    @Test
    void randomVariationsAgree() {
        Random random = new Random(7);
        String alphabet = "0123456789-:.TtZz +";
        List<String> seeds = List.of("2020-11-17T14:30:00", "2020-02-29 23:59:59.123456", "2020-11-17T14:30:00Z",
                "2020-11-17T14:30:00.1+08:00", "1999-12-31T23:59-05:30");
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int k = random.nextInt(3); k >= 0; k--) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(3)) {
                    case 0 -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> sb.deleteCharAt(at);
                    default -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            same(sb.toString());
        }
    }

    @Test
    void theCommonShapesAreReadHere() {
        assertEquals(LocalDateTime.of(2020, 11, 17, 14, 30, 0, 123_000_000), DateTimeText.local("2020-11-17 14:30:00.123"));
        assertEquals(Instant.parse("2020-11-17T06:30:00Z"), DateTimeText.instant("2020-11-17T14:30:00+08:00"));
        assertNotNull(DateTimeText.instant("2024-01-31T10:15:30.123Z"));
        assertNull(DateTimeText.local("2021-02-29T00:00"), "not a date: left to the formatter");
        assertNull(DateTimeText.instant("2020-11-17T14:30:00+08:00:30"), "another shape: left to the formatter");
    }

    /** Checks one text both ways; returns 1 when the fast reading took it. */
    private static int same(String s) {
        LocalDateTime local = DateTimeText.local(s);
        if (local != null) assertEquals(LocalDateTime.parse(s, LOCAL), local, s);
        Instant instant = DateTimeText.instant(s);
        if (instant != null) assertEquals(OffsetDateTime.parse(s).toInstant(), instant, s);
        assertEquals(outcome(() -> LocalDateTime.parse(s.trim(), LOCAL)), outcome(() -> TypedValues.localDateTime(s)), s);
        assertEquals(outcome(() -> OffsetDateTime.parse(s.trim()).toInstant()), outcome(() -> TypedValues.instant(s)), s);
        return (local != null ? 1 : 0) + (instant != null ? 1 : 0);
    }

    @FunctionalInterface
    private interface Read {
        Object get() throws Exception;
    }

    /** The value read, or "refused" for a formatter's DateTimeException and the sink's refusal alike. */
    private static Object outcome(Read read) {
        try {
            return read.get();
        } catch (DateTimeException | RecordFiller.Refused e) {
            return "refused";
        } catch (Exception e) {
            return e;
        }
    }
}
