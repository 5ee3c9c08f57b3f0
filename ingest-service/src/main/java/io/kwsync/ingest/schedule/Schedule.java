package io.kwsync.ingest.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a recurring job runs: the scheduler's cycles, in local time of the job's zone.
 *
 * <ul>
 *   <li>{@code MINUTE}: every {@code interval} minutes from {@code start} to {@code end} each day (00:00, 5, 23:59 is
 *       every five minutes all day).</li>
 *   <li>{@code HOUR}: every {@code interval} hours from {@code start} to {@code end} each day (00:15, 1, 23:59 is every
 *       hour at a quarter past).</li>
 *   <li>{@code DAY}: at {@code start} every day.</li>
 *   <li>{@code WEEK}: at {@code start} on each of {@code weekDays}.</li>
 *   <li>{@code MONTH}: at {@code start} on each of {@code monthDays} (1-31; a month without that day is skipped) and,
 *       with {@code lastDayOfMonth}, on the month's last day.</li>
 * </ul>
 *
 * <p>Slots are local times. A slot that falls in a daylight-saving gap still runs (at the end of the gap, see
 * {@link WindowTime}), and a slot in a repeated hour runs once, so every slot runs exactly once.
 */
public record Schedule(Cycle cycle, LocalTime start, int interval, LocalTime end, Set<DayOfWeek> weekDays,
                       Set<Integer> monthDays, boolean lastDayOfMonth) {

    public enum Cycle {
        MINUTE, HOUR, DAY, WEEK, MONTH
    }

    public Schedule {
        weekDays = weekDays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(weekDays));
        monthDays = Set.copyOf(new TreeSet<>(monthDays));
        List<String> p = problems(cycle, start, interval, end, weekDays, monthDays, lastDayOfMonth);
        if (!p.isEmpty()) throw new ExpressionException(String.join("; ", p));
    }

    /** What is wrong with the combination; empty when valid. */
    static List<String> problems(Cycle cycle, LocalTime start, int interval, LocalTime end, Set<DayOfWeek> weekDays,
                                 Set<Integer> monthDays, boolean lastDay) {
        List<String> p = new ArrayList<>();
        if (start.getSecond() != 0 || start.getNano() != 0) p.add("the start time must be whole minutes (hh:mm)");
        switch (cycle) {
            case MINUTE -> {
                if (interval < 1 || interval > 1439) p.add("a minute interval must be 1 to 1439");
                if (end.isBefore(start)) p.add("the end time " + end + " is before the start time " + start);
            }
            case HOUR -> {
                if (interval < 1 || interval > 23) p.add("an hour interval must be 1 to 23");
                if (end.isBefore(start)) p.add("the end time " + end + " is before the start time " + start);
            }
            case WEEK -> {
                if (weekDays.isEmpty()) p.add("a weekly schedule needs at least one day of the week, e.g. MONDAY");
            }
            case MONTH -> {
                if (monthDays.isEmpty() && !lastDay) p.add("a monthly schedule needs at least one day of the month, e.g. 1 (or L for the last day)");
                for (int d : monthDays) if (d < 1 || d > 31) p.add("day of month " + d + " is not 1-31");
            }
            case DAY -> {
            }
        }
        return p;
    }

    /**
     * Parses the configuration form.
     *
     * @param days for WEEK: comma-separated day names ({@code MONDAY}, {@code mon}, ...); for MONTH: day numbers and
     *             {@code L}; ignored otherwise
     */
    public static Schedule of(Cycle cycle, String start, int interval, String end, String days) {
        LocalTime s = time(start, "start");
        LocalTime e = time(end, "end");
        Set<DayOfWeek> week = EnumSet.noneOf(DayOfWeek.class);
        Set<Integer> month = new TreeSet<>();
        boolean last = false;
        if (days != null && !days.isBlank() && (cycle == Cycle.WEEK || cycle == Cycle.MONTH)) {
            for (String d : days.split(",")) {
                String x = d.strip().toUpperCase(Locale.ROOT);
                if (cycle == Cycle.WEEK) {
                    week.add(dayOfWeek(x));
                } else if (x.equals("L")) {
                    last = true;
                } else {
                    try {
                        month.add(Integer.parseInt(x));
                    } catch (NumberFormatException ex) {
                        throw new ExpressionException("'" + d.strip() + "' is not a day of the month (1-31 or L)");
                    }
                }
            }
        }
        return new Schedule(cycle, s, interval, e, week, month, last);
    }

    private static DayOfWeek dayOfWeek(String x) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(x) || x.length() >= 3 && d.name().startsWith(x)) return d;
        }
        throw new ExpressionException("'" + x + "' is not a day of the week (MONDAY ... SUNDAY)");
    }

    private static LocalTime time(String text, String what) {
        try {
            return LocalTime.parse(text.strip().length() == 4 ? "0" + text.strip() : text.strip());
        } catch (DateTimeParseException e) {
            throw new ExpressionException("the " + what + " time '" + text + "' is not hh:mm");
        }
    }

    /** The first slot strictly after {@code t}. */
    public LocalDateTime nextAfter(LocalDateTime t) {
        LocalDate day = t.toLocalDate();
        for (int i = 0; i <= 366 * 8; i++, day = day.plusDays(1)) { // a 29 February slot can be 8 years away
            if (!runsOn(day)) continue;
            Optional<LocalTime> time = firstTimeAfter(day.equals(t.toLocalDate()) ? t.toLocalTime() : null);
            if (time.isPresent()) return day.atTime(time.get());
        }
        throw new IllegalStateException("no slot in eight years after " + t + " for " + this);
    }

    /** The last slot at or before {@code t}, or empty when there is none in the eight years before. */
    public Optional<LocalDateTime> latestAtOrBefore(LocalDateTime t) {
        LocalDate day = t.toLocalDate();
        for (int i = 0; i <= 366 * 8; i++, day = day.minusDays(1)) {
            if (!runsOn(day)) continue;
            List<LocalTime> times = timesOfDay();
            for (int j = times.size() - 1; j >= 0; j--) {
                LocalDateTime slot = day.atTime(times.get(j));
                if (!slot.isAfter(t)) return Optional.of(slot);
            }
        }
        return Optional.empty();
    }

    boolean runsOn(LocalDate day) {
        return switch (cycle) {
            case MINUTE, HOUR, DAY -> true;
            case WEEK -> weekDays.contains(day.getDayOfWeek());
            case MONTH -> monthDays.contains(day.getDayOfMonth()) || lastDayOfMonth && day.getDayOfMonth() == day.lengthOfMonth();
        };
    }

    /** The slot times of a day on which the schedule runs, ascending. */
    List<LocalTime> timesOfDay() {
        List<LocalTime> out = new ArrayList<>();
        if (cycle == Cycle.MINUTE || cycle == Cycle.HOUR) {
            int step = cycle == Cycle.MINUTE ? interval : interval * 60;
            for (int m = start.getHour() * 60 + start.getMinute(); m <= end.getHour() * 60 + end.getMinute(); m += step) {
                out.add(LocalTime.of(m / 60, m % 60));
            }
        } else {
            out.add(start);
        }
        return out;
    }

    private Optional<LocalTime> firstTimeAfter(LocalTime after) {
        for (LocalTime time : timesOfDay()) {
            if (after == null || time.isAfter(after)) return Optional.of(time);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return switch (cycle) {
            case MINUTE -> "every " + interval + " minutes from " + start + " to " + end;
            case HOUR -> "every " + interval + " hours from " + start + " to " + end;
            case DAY -> "daily at " + start;
            case WEEK -> "weekly on " + weekDays.stream().sorted().map(d -> d.name().toLowerCase(Locale.ROOT)).toList() + " at " + start;
            case MONTH -> "monthly on days " + new TreeSet<>(monthDays) + (lastDayOfMonth ? " and the last day" : "") + " at " + start;
        };
    }
}
