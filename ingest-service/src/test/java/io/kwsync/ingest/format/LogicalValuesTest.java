package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The text and numbers logical types become, against the ISO-8601 forms and Java's own printing of doubles. */
class LogicalValuesTest {

    @ParameterizedTest
    @CsvSource({
            "0, 1000, 1970-01-01T00:00:00Z",
            "1706696130123, 1000, 2024-01-31T10:15:30.123Z",
            "1706696130000, 1000, 2024-01-31T10:15:30Z",
            "1706696130123456, 1000000, 2024-01-31T10:15:30.123456Z",
            "1706696130120000, 1000000, 2024-01-31T10:15:30.120Z",
            "1706696130123456789, 1000000000, 2024-01-31T10:15:30.123456789Z",
            "-1, 1000, 1969-12-31T23:59:59.999Z",
            "-86400000, 1000, 1969-12-31T00:00:00Z",
            "253402300799999, 1000, 9999-12-31T23:59:59.999Z"})
    void instants(long units, long perSecond, String expected) {
        assertEquals(expected, LogicalValues.instant(units, perSecond));
        long seconds = Math.floorDiv(units, perSecond);
        long nanos = Math.floorMod(units, perSecond) * (1_000_000_000L / perSecond);
        assertEquals(Instant.ofEpochSecond(seconds, nanos), Instant.parse(expected), "what Java reads back");
        assertEquals(expected.substring(0, expected.length() - 1), LogicalValues.local(units, perSecond));
    }

    @Test
    void datesTimesAndRanges() {
        assertEquals("2024-01-31", LogicalValues.date(LocalDate.of(2024, 1, 31).toEpochDay()));
        assertEquals("1969-12-31", LogicalValues.date(-1));
        assertEquals("00:00:00", LogicalValues.time(0, 1_000_000L));
        assertEquals("23:59:59.999", LogicalValues.time(86_399_999, 1_000_000L));
        assertEquals("10:15:30.123456", LogicalValues.time(36_930_123_456L, 1_000L));
        assertThrows(DirtyRecordException.class, () -> LogicalValues.time(86_400_000, 1_000_000L));
        assertThrows(DirtyRecordException.class, () -> LogicalValues.time(-1, 1_000_000L));
        assertThrows(DirtyRecordException.class, () -> LogicalValues.date(Long.MAX_VALUE));
        assertThrows(DirtyRecordException.class, () -> LogicalValues.instant(Long.MAX_VALUE, 1L));
        assertEquals("2024-01-31T10:15:30.000000001Z", LogicalValues.instant(1_706_696_130L, 1));
        assertThrows(DirtyRecordException.class, () -> LogicalValues.instant(0L, -1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, 2.0, 199.99, 0.1, 0.3, 1.1, 0.001, 0.000999, 9999999.99, 1e7, 123456.789012,
            3.141592653589793, -42.5, 1e-10, 6.02214076e23, Double.MIN_VALUE, Double.MAX_VALUE})
    void doublesBecomeTheDecimalJavaPrints(double d) {
        assertEquals(new BigDecimal(Double.toString(d)), LogicalValues.decimalOf(d));
    }

    @Test
    void notFiniteStaysDoubleAndFloatsUseTheirOwnDigits() {
        assertEquals(Double.NaN, LogicalValues.decimalOf(Double.NaN));
        assertEquals(Double.NEGATIVE_INFINITY, LogicalValues.decimalOf(Double.NEGATIVE_INFINITY));
        assertEquals(new BigDecimal("1.1"), LogicalValues.decimalOf(1.1f));
        assertEquals(new BigDecimal("18446744073709551615"), LogicalValues.unsigned(-1L));
        assertEquals(new BigDecimal("-1.5"), LogicalValues.decimal(new byte[]{(byte) 0xF1}, 1));
    }
}
