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

/**
 * The scheduling-parameter rules of DataWorks' documentation that kwsync once got wrong. Every expected value is
 * worked out by hand from the documented rule (business date = the day before the scheduled date; ${...} offsets in the
 * unit of the format's smallest element; $[...] offsets in days, months only through add_months; $gmtdate the current
 * (scheduled) date; $bizmonth the business month, or the month before it when the business date is in the current
 * month), not copied from kwsync's output.
 */
class DataWorksParityTest {

    private static String eval(String expression, String scheduled) {
        return ParameterExpression.parse(expression).evaluate(LocalDateTime.parse(scheduled), "orders-hourly");
    }

    private static String refusal(String expression) {
        return assertThrows(ExpressionException.class, () -> ParameterExpression.parse(expression)).getMessage();
    }

    @ParameterizedTest(name = "{0} at {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ${yyyymm-1}        | 2025-07-20T10:05 | 202506
            ${yyyy-1}          | 2025-07-20T10:05 | 2024
            ${yyyymm}          | 2025-08-01T00:15 | 202507
            ${yyyymm-1}        | 2025-08-01T00:15 | 202506
            ${yyyymm+1}        | 2025-02-01T00:15 | 202502
            ${yyyy-1}          | 2025-01-01T00:15 | 2023
            ${yyyy+1}          | 2024-03-01T00:15 | 2025
            ${yy-1}            | 2025-07-20T10:05 | 24
            ${yyyy-mm-1}       | 2025-03-31T00:15 | 2025-02
            ${mm-1}            | 2025-01-15T00:15 | 12
            ${yyyymm-12*2}     | 2025-07-20T10:05 | 202307
            ${yyyymmdd-1}      | 2025-07-20T10:05 | 20250718
            ${yyyy-mm-dd-1}    | 2025-03-01T00:15 | 2025-02-27
            ${yyyy-mm-dd}      | 2025-07-20T10:05 | 2025-07-19
            ${dd+1}            | 2025-02-28T00:15 | 28
            ${yyyymmdd-7*1}    | 2022-11-22T10:05 | 20221114
            ${yyyymmdd-7*2}    | 2022-11-22T10:05 | 20221107
            """)
    void businessDateOffsetsCountUnitsOfTheSmallestElement(String expression, String scheduled, String expected) {
        assertEquals(expected, eval(expression, scheduled));
    }

    @ParameterizedTest(name = "{0} at {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            $[yyyymm-1]                      | 2025-07-20T10:05    | 202507
            $[yyyymm-1]                      | 2025-07-01T00:15    | 202506
            $[yyyy-1]                        | 2025-07-20T10:05    | 2025
            $[yyyy-1]                        | 2025-01-01T00:15    | 2024
            $[yyyymmdd-7*2]                  | 2022-11-22T10:05    | 20221108
            $[yyyymmdd+7*1]                  | 2022-11-22T10:05    | 20221129
            $[add_months(yyyymmdd,-12*2)]    | 2024-02-29T00:15    | 20220228
            $[add_months(yyyymmdd,12*1)]     | 2022-11-22T10:05    | 20231122
            $[add_months(yyyy,-12)]          | 2022-11-22T10:05    | 2021
            $[add_months(yyyymm,-1)]         | 2025-07-20T10:05    | 202506
            $[hh24mi-2*30/24/60]             | 2022-11-22T10:05    | 0905
            $[hh24miss-1/24]                 | 2022-11-22T10:05:07 | 090507
            """)
    void scheduledTimeOffsetsAreDaysAndMonthsGoThroughAddMonths(String expression, String scheduled, String expected) {
        assertEquals(expected, eval(expression, scheduled));
    }

    @ParameterizedTest(name = "{0} at {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            $bizdate          | 2025-11-01T00:00 | 20251031
            $cyctime          | 2025-11-01T00:00 | 20251101000000
            $gmtdate          | 2025-11-01T00:00 | 20251101
            $gmtdate          | 2022-11-22T10:05 | 20221122
            $bizmonth         | 2025-11-01T00:00 | 202510
            $bizmonth         | 2025-07-21T00:15 | 202506
            $bizmonth         | 2025-08-01T00:15 | 202507
            $bizmonth         | 2025-01-01T00:15 | 202412
            $bizmonth         | 2025-01-02T00:15 | 202412
            $jobid            | 2025-01-02T00:15 | orders-hourly
            p_$jobid-$gmtdate | 2025-01-02T00:15 | p_orders-hourly-20250102
            $GMTDATE          | 2025-01-02T00:15 | 20250102
            cost$5            | 2025-01-02T00:15 | cost$5
            100$              | 2025-01-02T00:15 | 100$
            """)
    void builtIns(String expression, String scheduled, String expected) {
        assertEquals(expected, eval(expression, scheduled));
    }

    @Test
    void builtInsAreNotConstants() {
        assertFalse(ParameterExpression.parse("$gmtdate").isConstant());
        assertFalse(ParameterExpression.parse("$bizmonth").isConstant());
        assertFalse(ParameterExpression.parse("$jobid").isConstant());
    }

    @Test
    void jobIdNeedsTheJobsName() {
        ParameterDefinitions defs = ParameterDefinitions.parse("table=t_$jobid day=$bizdate");
        LocalDateTime t = LocalDateTime.parse("2022-11-22T10:05");
        assertEquals(Map.of("table", "t_orders", "day", "20221121"), defs.evaluate(t, "orders"));
        ExpressionException e = assertThrows(ExpressionException.class, () -> defs.evaluate(t));
        assertTrue(e.getMessage().contains("parameter 'table'") && e.getMessage().contains("$jobid"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            $nodeid        | the built-in parameter $nodeid is not supported
            $taskid        | the built-in parameter $taskid is not supported
            $bizdates      | $bizdates is not a built-in parameter
            $foo           | $foo is not a built-in parameter
            x$month        | $month is not a built-in parameter
            $bizdate_01    | $bizdate_01 is not a built-in parameter
            """)
    void otherBuiltInNamesAreRefusedByName(String expression, String reason) {
        String m = refusal(expression);
        assertTrue(m.contains(reason), m);
        assertTrue(m.contains("$bizdate, $cyctime, $gmtdate, $bizmonth and $jobid") || m.contains("not supported"), m);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            $[yyyymmdd]]                      | ']' at position 11 is not part of an expression
            ${yyyymmdd}}                      | '}' at position 11 is not part of an expression
            ds=[$[yyyymmdd]]                  | '[' at position 3 is not part of an expression
            $[yyyymmdd--1]                    | '--1' after the format in 'yyyymmdd--1' is not an offset
            $[yyyymmdd-+1]                    | is not an offset
            $[yyyymmdd-]                      | is not an offset
            $[yyyymmdd-1x]                    | is not an offset
            $[yyyymmdd-1*]                    | is not an offset
            ${yyyymmdd--1}                    | is not an offset
            $[-yyyymmdd]                      | a separator where an element
            $[yyyy--mm]                       | is not an offset
            $[yyyymmdd-99999999]              | reaches further than from year 0001 to year 9999
            $[add_months(yyyymmdd,-999999)]   | reaches further than from year 0001 to year 9999
            ${yyyy-99999}                     | reaches further than from year 0001 to year 9999
            ${yyyymm-120000}                  | reaches further than from year 0001 to year 9999
            $[add_months(yyyymmdd,-1x)]       | is not a number of months
            $[add_months(yyyymmdd,)]          | is not a number of months
            ${add_months(yyyymmdd,-1)}        | add_months works on the scheduled time
            ${yyyymm-1/24}                    | whole months
            """)
    void garbageIsAnErrorNotAValue(String expression, String reason) {
        String m = refusal(expression);
        assertTrue(m.contains(reason), m);
        assertTrue(m.startsWith("'" + expression + "'"), "the message names the expression: " + m);
    }

    /** Within the parse limits, a value can still leave 0001-9999 for a given scheduled time: that run gets an error. */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            $[yyyymmdd-3000000]               | 2022-11-22T10:05
            $[yyyymmdd+3000000]               | 2022-11-22T10:05
            $[add_months(yyyymmdd,-30000)]    | 2022-11-22T10:05
            ${yyyy-2022}                      | 2022-11-22T10:05
            ${yyyy+7978}                      | 2022-11-22T10:05
            $[yyyymmdd-1]                     | 0001-01-01T00:15
            $bizdate                          | 0001-01-01T00:15
            $bizmonth                         | 0001-01-15T00:15
            """)
    void aValueOutsideTheYears0001To9999IsAnError(String expression, String scheduled) {
        ParameterExpression e = ParameterExpression.parse(expression);
        ExpressionException ex = assertThrows(ExpressionException.class, () -> e.evaluate(LocalDateTime.parse(scheduled)));
        assertTrue(ex.getMessage().contains("outside 0001-9999"), ex.getMessage());
    }

    @Test
    void theYearsAtTheEdgesAreStillValues() {
        assertEquals("0001", eval("${yyyy-2021}", "2022-11-22T10:05"));
        assertEquals("9999", eval("${yyyy+7977}", "2022-11-22T10:05"));
        assertEquals("00010101", eval("$bizdate", "0001-01-02T00:15"));
    }

    @Test
    void aSpaceInsideAnExpressionIsExplainedAsTheSeparatorOfDefinitions() {
        ExpressionException e = assertThrows(ExpressionException.class,
                () -> ParameterDefinitions.parse("startTime=$[yyyy-mm-dd hh24:mi:ss] endTime=$[yyyymmdd]"));
        assertTrue(e.getMessage().startsWith("'startTime=$[yyyy-mm-dd hh24:mi:ss]': spaces separate the name=expression pairs"),
                e.getMessage());
        assertFalse(e.getMessage().contains("not closed"), e.getMessage());
        ExpressionException braces = assertThrows(ExpressionException.class, () -> ParameterDefinitions.parse("month=${yyyy mm}"));
        assertTrue(braces.getMessage().contains("'month=${yyyy mm}'") && braces.getMessage().contains("spaces separate"),
                braces.getMessage());
        ExpressionException unclosed = assertThrows(ExpressionException.class, () -> ParameterDefinitions.parse("a=$[yyyymmdd b=1"));
        assertTrue(unclosed.getMessage().contains("not closed"), unclosed.getMessage());
    }

    @Test
    void anExpressionHoldsNoEqualsSign() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> ParameterDefinitions.parse("filter=ds=$bizdate"));
        assertTrue(e.getMessage().contains("cannot contain '='"), e.getMessage());
    }

    @Test
    void theSpaceSeparatedPartsJoinedInATemplateGiveTheValueWithASpace() {
        ParameterDefinitions defs = ParameterDefinitions.parse("day=$[yyyy-mm-dd] time=$[hh24:mi:ss]");
        Map<String, String> values = defs.evaluate(LocalDateTime.parse("2022-11-22T10:05:07"));
        assertEquals("2022-11-22 10:05:07", Template.parse("${day} ${time}").render(values));
    }
}
