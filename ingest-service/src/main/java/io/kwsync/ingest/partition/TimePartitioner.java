package io.kwsync.ingest.partition;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Chooses a record's time partition from its own timestamp (never the wall clock): the instant is read in a time
 * zone and formatted once per partition key column, e.g. {@code pt=11-17-2020 15} or {@code ds=20201117,hh=15}.
 *
 * <p>Pure and thread-safe. The last computed partition and its time range are remembered, so that a run of records
 * from the same period costs two comparisons and no allocation.
 */
public final class TimePartitioner {

    /** How often a new partition starts. */
    public enum Granularity {
        DAY(ChronoUnit.DAYS, "MM-dd-yyyy"),
        HOUR(ChronoUnit.HOURS, "MM-dd-yyyy HH"),
        MINUTE(ChronoUnit.MINUTES, "MM-dd-yyyy HH:mm");

        final ChronoUnit unit;
        final String defaultPattern;

        Granularity(ChronoUnit unit, String defaultPattern) {
            this.unit = unit;
            this.defaultPattern = defaultPattern;
        }

        /** The single-column value pattern used when none is configured (the managed connector's form). */
        public String defaultPattern() {
            return defaultPattern;
        }
    }

    /** The default zone of the managed connector: the producers' clock is assumed to be China Standard Time. */
    public static final String DEFAULT_ZONE = "GMT+08:00";
    public static final String DEFAULT_COLUMN = "pt";

    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
    /** Characters MaxCompute accepts in a partition value besides letters and digits. */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9 :_$#.!@-]{1,255}");
    /** Instants the patterns are checked on: leap day, year end, a DST change in common zones, ordinary times. */
    private static final long[] PROBES = {951_782_400_000L, 1_609_459_199_000L, 1_616_893_200_000L,
            1_605_596_400_000L, 1_700_000_000_000L, 0L};

    private final Granularity granularity;
    private final ZoneId zone;
    private final List<String> columns;
    private final List<DateTimeFormatter> formats;
    private volatile Cached last;

    private record Cached(long start, long end, Map<String, String> partition) {
    }

    /**
     * @param columns  partition key columns, in the table's order
     * @param patterns one {@link DateTimeFormatter} pattern per column; empty for the granularity's default (one
     *                 column only)
     * @throws IllegalArgumentException naming what is wrong; see {@link #problems}
     */
    public TimePartitioner(Granularity granularity, ZoneId zone, List<String> columns, List<String> patterns) {
        List<String> p = problems(granularity, zone.getId(), columns, patterns);
        if (!p.isEmpty()) throw new IllegalArgumentException(String.join("; ", p));
        this.granularity = granularity;
        this.zone = zone;
        this.columns = List.copyOf(columns);
        List<String> effective = patterns.isEmpty() ? List.of(granularity.defaultPattern) : patterns;
        List<DateTimeFormatter> f = new ArrayList<>();
        for (String pattern : effective) f.add(DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(zone));
        this.formats = List.copyOf(f);
    }

    public static TimePartitioner of(Granularity granularity, String zone) {
        return new TimePartitioner(granularity, ZoneId.of(zone), List.of(DEFAULT_COLUMN), List.of());
    }

    /** The partition spec of a record with this timestamp (epoch milliseconds). */
    public Map<String, String> partition(long epochMillis) {
        Cached c = last;
        if (c != null && epochMillis >= c.start && epochMillis < c.end) return c.partition;
        ZonedDateTime start = Instant.ofEpochMilli(epochMillis).atZone(zone).truncatedTo(granularity.unit);
        Map<String, String> spec = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) spec.put(columns.get(i), formats.get(i).format(start));
        Map<String, String> partition = Collections.unmodifiableMap(spec);
        // zoned arithmetic: a day is 23 or 25 hours long where clocks change
        last = new Cached(start.toInstant().toEpochMilli(), start.plus(1, granularity.unit).toInstant().toEpochMilli(), partition);
        return partition;
    }

    public Granularity granularity() {
        return granularity;
    }

    public ZoneId zone() {
        return zone;
    }

    public List<String> columns() {
        return columns;
    }

    /** The setting a problem is about: the time zone, the partition columns, or their value patterns. */
    public enum Setting {
        ZONE, COLUMNS, PATTERNS
    }

    /** One thing wrong with a configuration, as a sentence, and the setting it is about. */
    public record Problem(Setting setting, String message) {
    }

    /** Whether MaxCompute accepts this text as a partition value. */
    public static boolean validValue(String value) {
        return VALUE.matcher(value).matches();
    }

    /** Whether this is a valid partition column name. */
    public static boolean validColumn(String column) {
        return COLUMN_NAME.matcher(column).matches();
    }

    /** The rule of {@link #validValue}, for messages. */
    public static final String VALUE_RULE = "1-255 of letters, digits, space and :_$#.!@-";

    /** The sentences of {@link #check}. */
    public static List<String> problems(Granularity granularity, String zoneId, List<String> columns, List<String> patterns) {
        return check(granularity, zoneId, columns, patterns).stream().map(Problem::message).toList();
    }

    /**
     * Everything wrong with a configuration (empty when usable): unknown zone, bad column names, a pattern count that
     * does not match the columns, a pattern that does not parse, produces characters MaxCompute refuses in a
     * partition value, is coarser than the granularity (two periods would share a partition) or finer (one period
     * would be split).
     */
    public static List<Problem> check(Granularity granularity, String zoneId, List<String> columns, List<String> patterns) {
        List<Problem> out = new ArrayList<>();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(zoneId);
        } catch (DateTimeException e) {
            out.add(new Problem(Setting.ZONE, "'" + zoneId + "' is not a time zone (use e.g. GMT+08:00, UTC, Asia/Shanghai)"));
        }
        if (columns.isEmpty()) out.add(new Problem(Setting.COLUMNS, "at least one partition column is needed"));
        for (String c : columns) {
            if (!COLUMN_NAME.matcher(c).matches()) out.add(new Problem(Setting.COLUMNS, "'" + c + "' is not a valid column name"));
        }
        if (columns.size() != new java.util.HashSet<>(columns).size()) out.add(new Problem(Setting.COLUMNS, "partition columns repeat"));
        if (patterns.isEmpty() && columns.size() > 1) {
            out.add(new Problem(Setting.PATTERNS, "with " + columns.size() + " partition columns, give one value pattern per column"));
        }
        if (!patterns.isEmpty() && patterns.size() != columns.size()) {
            out.add(new Problem(Setting.PATTERNS, patterns.size() + " value patterns for " + columns.size() + " partition columns"));
        }
        if (zone == null || !out.isEmpty()) return out;
        List<DateTimeFormatter> formats = new ArrayList<>();
        for (String p : patterns.isEmpty() ? List.of(granularity.defaultPattern) : patterns) {
            try {
                formats.add(DateTimeFormatter.ofPattern(p, Locale.ROOT).withZone(zone));
            } catch (IllegalArgumentException e) {
                out.add(new Problem(Setting.PATTERNS, "value pattern '" + p + "' is invalid: " + e.getMessage()));
            }
        }
        if (!out.isEmpty()) return out;
        for (long probe : PROBES) {
            ZonedDateTime start = Instant.ofEpochMilli(probe).atZone(zone).truncatedTo(granularity.unit);
            for (DateTimeFormatter f : formats) {
                String v = f.format(start);
                if (!VALUE.matcher(v).matches()) {
                    out.add(new Problem(Setting.PATTERNS, "a value pattern produces '" + v + "', which is not a valid"
                            + " MaxCompute partition value (" + VALUE_RULE + ")"));
                    return out;
                }
            }
            String a = render(formats, start);
            ZonedDateTime inside = start.plus(1, granularity.unit).minusSeconds(1);
            if (!a.equals(render(formats, inside))) {
                out.add(new Problem(Setting.PATTERNS, "value patterns are finer than " + granularity + ": one "
                        + granularity.name().toLowerCase(Locale.ROOT) + " would be split over several partitions"));
                return out;
            }
            if (a.equals(render(formats, start.plus(1, granularity.unit)))) {
                out.add(new Problem(Setting.PATTERNS, "value patterns are coarser than " + granularity + ": consecutive "
                        + granularity.name().toLowerCase(Locale.ROOT) + "s would share a partition"));
                return out;
            }
        }
        return out;
    }

    /** The column values joined by NUL, so that one comparison covers all columns. */
    private static String render(List<DateTimeFormatter> formats, ZonedDateTime t) {
        StringBuilder sb = new StringBuilder();
        for (DateTimeFormatter f : formats) {
            if (!sb.isEmpty()) sb.append('\u0000');
            sb.append(f.format(t));
        }
        return sb.toString();
    }
}
