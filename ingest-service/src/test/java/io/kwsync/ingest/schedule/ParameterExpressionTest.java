package io.kwsync.ingest.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterExpressionTest {

    private static String eval(String expression, String scheduled) {
        return ParameterExpression.parse(expression).evaluate(LocalDateTime.parse(scheduled));
    }

    /** Every row of DataWorks' scheduling-parameter table, with its example times. */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            every 5 minutes | 2022-11-22T10:00 | $[yyyymmddhh24mi-8/24/60]00         | $[yyyymmddhh24mi-3/24/60]00 | $[yyyymmddhh24mi-8/24/60] | 20221122095200 | 20221122095700 | 202211220952
            every hour      | 2022-11-22T10:05 | $[yyyymmddhh24-1/24]0000            | $[yyyymmddhh24]0000         | $[yyyymmddhh24]           | 20221122090000 | 20221122100000 | 2022112210
            every 2 hours   | 2022-11-22T10:05 | $[yyyymmddhh24-2/24]0000            | $[yyyymmddhh24]0000         | $[yyyymmddhh24]           | 20221122080000 | 20221122100000 | 2022112210
            every 3 hours   | 2022-11-22T10:05 | $[yyyymmddhh24-3/24]0000            | $[yyyymmddhh24]0000         | $[yyyymmddhh24]           | 20221122070000 | 20221122100000 | 2022112210
            every day       | 2022-11-22T00:05 | $[yyyymmdd-1]000000                 | $[yyyymmdd]000000           | $[yyyymmdd-1]             | 20221121000000 | 20221122000000 | 20221121
            every week      | 2022-11-22T00:05 | $[yyyymmdd-7]000000                 | $[yyyymmdd]000000           | $[yyyymmdd-1]             | 20221115000000 | 20221122000000 | 20221121
            every month     | 2022-11-22T00:05 | $[add_months(yyyymmdd,-1)]000000    | $[yyyymmdd]000000           | $[yyyymmdd-1]             | 20221022000000 | 20221122000000 | 20221121
            """)
    void dataWorksTableOfSchedulingParameters(String cycle, String scheduled, String startTime, String endTime,
                                                      String partition, String expectedStart, String expectedEnd,
                                                      String expectedPartition) {
        ParameterDefinitions defs = ParameterDefinitions.parse(
                "startTime=" + startTime + " endTime=" + endTime + " partition=" + partition);
        Map<String, String> values = defs.evaluate(LocalDateTime.parse(scheduled));
        assertEquals(Map.of("startTime", expectedStart, "endTime", expectedEnd, "partition", expectedPartition), values, cycle);
    }

    @ParameterizedTest(name = "{0} at {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            $[yyyymmddhh24miss]                | 2022-11-22T10:05:07 | 20221122100507
            $cyctime                           | 2022-11-22T10:05:07 | 20221122100507
            $bizdate                           | 2022-11-22T10:05:07 | 20221121
            ${yyyymmdd}                        | 2022-11-22T10:05    | 20221121
            ${yyyymmdd-1}                      | 2022-11-22T10:05    | 20221120
            ${yyyy-mm-dd+1}                    | 2022-11-22T10:05    | 2022-11-22
            $[yyyy-mm-dd hh24:mi:ss]           | 2022-11-22T10:05:07 | 2022-11-22 10:05:07
            $[yyyy-mm-dd-1]                    | 2022-11-22T10:05    | 2022-11-21
            $[yyyymmdd+1]                      | 2022-11-22T10:05    | 20221123
            $[YYYYMMDDHH24MI]                  | 2022-11-22T10:05    | 202211221005
            $[yy_mm.dd]                        | 2022-11-22T10:05    | 22_11.22
            $[hh24mi-90/24/60]                 | 2022-11-22T10:05    | 0835
            $[yyyymmddhh24miss-30/24/60/60]    | 2022-11-22T10:05    | 20221122100430
            $[yyyymmddhh24-36/24]              | 2022-11-22T10:05    | 2022112022
            pt=$[yyyymmdd]/h=$[hh24]           | 2022-11-22T10:05    | pt=20221122/h=10
            constant                           | 2022-11-22T10:05    | constant
            cost$5                             | 2022-11-22T10:05    | cost$5
            """)
    void formatsOffsetsLiteralsAndBuiltins(String expression, String scheduled, String expected) {
        assertEquals(expected, eval(expression, scheduled));
    }

    @ParameterizedTest(name = "{0} at {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            $[yyyymmdd-1]                 | 2022-01-01T00:05 | 20211231
            $[yyyymmddhh24-1/24]0000      | 2023-01-01T00:05 | 20221231230000
            $[yyyymmddhh24mi-8/24/60]00   | 2022-11-22T00:02 | 20221121235400
            $[yyyymmdd-1]                 | 2024-03-01T00:05 | 20240229
            $[yyyymmdd-1]                 | 2023-03-01T00:05 | 20230228
            $[yyyymmdd-1]                 | 2100-03-01T00:05 | 21000228
            $[yyyymmdd-1]                 | 2000-03-01T00:05 | 20000229
            $[add_months(yyyymmdd,-1)]    | 2022-03-31T00:15 | 20220228
            $[add_months(yyyymmdd,-1)]    | 2024-03-31T00:15 | 20240229
            $[add_months(yyyymmdd,-1)]    | 2022-01-15T00:15 | 20211215
            $[add_months(yyyymmdd,1)]     | 2022-01-31T00:15 | 20220228
            $[add_months(yyyymmdd,-12)]   | 2024-02-29T00:15 | 20230228
            $[add_months(yyyymmdd,+13)]   | 2022-11-22T00:15 | 20231222
            $[add_months(yyyymmddhh24miss,-1)] | 2022-11-22T10:05:07 | 20221022100507
            $[yyyymmdd-7]                 | 2022-03-03T00:15 | 20220224
            $[yyyymmdd-7]                 | 2024-03-03T00:15 | 20240225
            """)
    void monthEndsLeapYearsAndYearBoundaries(String expression, String scheduled, String expected) {
        assertEquals(expected, eval(expression, scheduled));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            $[yyyymmddhh-1/24]        | hh24
            $[yyyymmdd                | not closed
            ${yyyymmdd                | not closed
            $[yyyymmdd-1/7]           | whole number of seconds
            $[yyyymmdd-1/0]           | divides by zero
            $[add_months(yyyymmdd)]   | add_months(format,N)
            $[]                       | empty date-time format
            $[--]                     | no yyyy
            ${yyyymmddhh24}           | day precision
            ${yyyymmdd-1/24}          | whole days
            $[week]                   | unknown date-time format element
            """)
    void mistakesAreReportedWithTheirReason(String expression, String reason) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> ParameterExpression.parse(expression));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void constantsAreRecognised() {
        assertTrue(ParameterExpression.parse("20221122").isConstant());
        assertFalse(ParameterExpression.parse("$[yyyymmdd]").isConstant());
        assertFalse(ParameterExpression.parse("$bizdate").isConstant());
        // $bizdates is no built-in: DataWorks values are built-ins, time expressions or constants, so it is refused
        // rather than copied as text
        ExpressionException e = assertThrows(ExpressionException.class, () -> ParameterExpression.parse("$bizdates"));
        assertTrue(e.getMessage().contains("$bizdates is not a built-in"), e.getMessage());
    }

    @Test
    void definitionsKeepTheirOrderAndRefuseBadPairs() {
        ParameterDefinitions d = ParameterDefinitions.parse("  b=$[yyyymmdd]\ta=x  ");
        assertEquals("b=$[yyyymmdd] a=x", d.toString());
        assertEquals(Map.of("b", "20221122", "a", "x"), d.evaluate(LocalDateTime.parse("2022-11-22T10:00")));
        assertTrue(ParameterDefinitions.parse("").expressions().isEmpty());
        assertTrue(ParameterDefinitions.parse(null).expressions().isEmpty());
        assertThrows(ExpressionException.class, () -> ParameterDefinitions.parse("novalue"));
        assertThrows(ExpressionException.class, () -> ParameterDefinitions.parse("=x"));
        assertThrows(ExpressionException.class, () -> ParameterDefinitions.parse("1a=x"));
        ExpressionException twice = assertThrows(ExpressionException.class, () -> ParameterDefinitions.parse("a=1 a=2"));
        assertTrue(twice.getMessage().contains("twice"));
    }

    @Test
    void templatesReplaceReferencesAndNameMissingValues() {
        Template t = Template.parse("ds=${partition},hh=${hour}$x");
        assertEquals(java.util.Set.of("partition", "hour"), t.references());
        assertEquals("ds=20221122,hh=10$x", t.render(Map.of("partition", "20221122", "hour", "10")));
        ExpressionException missing = assertThrows(ExpressionException.class, () -> t.render(Map.of("partition", "1")));
        assertTrue(missing.getMessage().contains("'hour'"), missing.getMessage());
        assertThrows(ExpressionException.class, () -> Template.parse("${unclosed"));
        assertThrows(ExpressionException.class, () -> Template.parse("${not a name}"));
        assertEquals("plain", Template.parse("plain").render(Map.of()));
    }
}
