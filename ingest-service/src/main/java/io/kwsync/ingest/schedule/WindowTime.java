package io.kwsync.ingest.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Window boundaries ({@code beginDateTime}, {@code endDateTime}) are local times {@code yyyymmddhhmmss} of the job's
 * time zone. This turns them, and schedule slots, into instants.
 *
 * <p>In a zone with daylight-saving time some local times do not exist (the hour skipped in spring) and some exist
 * twice (the hour repeated in autumn). A local time in a gap means the end of the gap (the instant the clock jumped);
 * a repeated local time means its first occurrence. Both rules keep the mapping monotonic, so windows whose
 * boundaries are consecutive local times never overlap and never leave a hole: the repeated hour belongs to the
 * window that starts at its first occurrence.
 */
public final class WindowTime {

    private WindowTime() {
    }

    /** @throws ExpressionException unless {@code text} is a valid {@code yyyymmddhhmmss} */
    public static LocalDateTime parseLocal(String text) {
        if (text == null || !text.matches("\\d{14}")) {
            throw new ExpressionException("'" + text + "' is not a date-time of the form yyyymmddhhmmss (14 digits), e.g. 20221122090000");
        }
        try {
            return LocalDateTime.of(Integer.parseInt(text.substring(0, 4)), Integer.parseInt(text.substring(4, 6)),
                    Integer.parseInt(text.substring(6, 8)), Integer.parseInt(text.substring(8, 10)),
                    Integer.parseInt(text.substring(10, 12)), Integer.parseInt(text.substring(12, 14)));
        } catch (DateTimeException e) {
            throw new ExpressionException("'" + text + "' is not a valid date-time: " + e.getMessage());
        }
    }

    public static Instant parse(String text, ZoneId zone) {
        return toInstant(parseLocal(text), zone);
    }

    /** The instant of a local time, by the gap and overlap rules of the class comment. */
    public static Instant toInstant(LocalDateTime local, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (!offsets.isEmpty()) {
            // ZoneRules lists the offset valid before a transition first: the earlier occurrence
            return local.toInstant(offsets.get(0));
        }
        ZoneOffsetTransition gap = rules.getTransition(local);
        return gap.getInstant();
    }

    /** {@code yyyymmddhhmmss} of an instant in the zone. */
    public static String format(Instant instant, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, zone);
        return String.format("%04d%02d%02d%02d%02d%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
    }
}
