package io.kwsync.ingest.schedule;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offset written after a format or as the second argument of {@code add_months}: a sign and a whole number or a
 * product of whole numbers ({@code 7*2}: two weeks in days, {@code 12*3}: three years in months), and in
 * {@code $[...]} divisors ({@code 1/24} an hour, {@code 8/24/60} eight minutes).
 *
 * <p>An offset that moves further than the distance from year 0001 to 9999 can give no valid date from any base, so it
 * is refused when parsed; whether a smaller one stays inside 0001-9999 is checked when the value is computed.
 */
final class Offset {

    private static final Pattern SIGNED = Pattern.compile("([+-])(\\d{1,9}(?:\\*\\d{1,9})*)((?:/\\d{1,9})*)");
    private static final Pattern MONTHS = Pattern.compile("([+-]?)(\\d{1,9}(?:\\*\\d{1,9})*)");
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long MAX_DAYS = ChronoUnit.DAYS.between(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31));
    private static final long MAX_MONTHS = 9998 * 12 + 11;
    private static final long MAX_YEARS = 9998;
    private static final String EXAMPLES = "e.g. -1, +7, -7*2";

    private Offset() {
    }

    /** True when {@code rest}, the text after a format, can only be meant as an offset (a sign not followed by a letter). */
    static boolean looksLikeOne(String rest) {
        return !rest.isEmpty() && (rest.charAt(0) == '+' || rest.charAt(0) == '-')
                && (rest.length() == 1 || !Character.isLetter(rest.charAt(1)));
    }

    /** A {@code $[...]} offset in seconds: N days, N/24 hours, N/24/60 minutes, N/24/60/60 seconds. */
    static long seconds(String offset, String body) {
        Matcher m = matchSigned(offset, body, "days; N/24 is N hours, N/24/60 N minutes", EXAMPLES + ", -1/24, -8/24/60");
        BigInteger numerator = product(m.group(2)).multiply(BigInteger.valueOf(SECONDS_PER_DAY));
        BigInteger denominator = BigInteger.ONE;
        if (!m.group(3).isEmpty()) {
            for (String d : m.group(3).substring(1).split("/")) {
                long div = Long.parseLong(d);
                if (div == 0) throw new ExpressionException("'" + body + "' divides by zero");
                denominator = denominator.multiply(BigInteger.valueOf(div));
            }
        }
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        if (qr[1].signum() != 0) {
            throw new ExpressionException("offset '" + offset + "' in '" + body + "' is not a whole number of seconds");
        }
        return signed(m.group(1), qr[0], BigInteger.valueOf(MAX_DAYS * SECONDS_PER_DAY + SECONDS_PER_DAY - 1), offset, body);
    }

    /**
     * A {@code ${...}} offset in whole units of the format's smallest element ({@code unit}: years, months or days).
     *
     * @param body the expression between the braces, for messages
     */
    static long units(String offset, String body, ChronoUnit unit) {
        String name = unit.toString().toLowerCase(java.util.Locale.ROOT);
        Matcher m = matchSigned(offset, "${" + body + "}", name + " (the unit of the format's smallest element)", EXAMPLES);
        if (!m.group(3).isEmpty()) {
            throw new ExpressionException("${" + body + "} is a business date: its offsets count whole " + name
                    + " (the unit of the format's smallest element); use $[...] (the scheduled time) for hours and minutes");
        }
        long max = switch (unit) {
            case YEARS -> MAX_YEARS;
            case MONTHS -> MAX_MONTHS;
            default -> MAX_DAYS;
        };
        return signed(m.group(1), product(m.group(2)), BigInteger.valueOf(max), offset, "${" + body + "}");
    }

    /** The second argument of {@code add_months}: N months, e.g. -1 or -12*2 (two years back). */
    static long months(String argument, String body) {
        Matcher m = MONTHS.matcher(argument);
        if (!m.matches()) {
            throw new ExpressionException("'" + argument + "' in '" + body + "' is not a number of months, e.g. -1, 3 or -12*2");
        }
        return signed(m.group(1), product(m.group(2)), BigInteger.valueOf(MAX_MONTHS), argument, body);
    }

    private static Matcher matchSigned(String offset, String where, String meaning, String examples) {
        Matcher m = SIGNED.matcher(offset);
        if (!m.matches()) {
            throw new ExpressionException("'" + offset + "' after the format in '" + where + "' is not an offset: write +N or -N, "
                    + "N in " + meaning + " (a product such as 7*2 is allowed), " + examples);
        }
        return m;
    }

    private static BigInteger product(String factors) {
        BigInteger p = BigInteger.ONE;
        for (String f : factors.split("\\*")) p = p.multiply(new BigInteger(f));
        return p;
    }

    private static long signed(String sign, BigInteger magnitude, BigInteger max, String offset, String where) {
        if (magnitude.compareTo(max) > 0) {
            throw new ExpressionException("offset '" + offset + "' in '" + where + "' reaches further than from year 0001 to "
                    + "year 9999; no value of it can be a valid date");
        }
        return sign.equals("-") ? -magnitude.longValueExact() : magnitude.longValueExact();
    }
}
