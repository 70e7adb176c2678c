package io.tessera.core.schedule;

import io.tessera.core.validation.ValidationException;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a job fires. Immutable and thread-safe; validated when built, so a {@code Schedule} that
 * exists is one that works.
 *
 * <p>Cron parsing and the calendar arithmetic are Quartz's {@link CronExpression}; this type only
 * wraps it, adds a time zone and gives clear errors.
 */
public final class Schedule {

    /** The longest fixed rate accepted: one year. */
    public static final long MAX_RATE_SECONDS = 366L * 24 * 3600;

    private static final String CRON_HELP = "expected Quartz cron with seconds: "
            + "'SECONDS MINUTES HOURS DAY-OF-MONTH MONTH DAY-OF-WEEK [YEAR]', with '?' in one of the two day fields, "
            + "e.g. '0 */5 * * * ?' (every 5 minutes) or '0 0 2 ? * MON-FRI' (02:00 on weekdays)";

    /**
     * Parsed schedules by their three parts: a cron expression is parsed once, not each time a job is
     * read from the database. Schedules are immutable, so sharing them is safe.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Schedule> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_PARSED = 50_000;

    private static final Pattern ZERO_STEP = Pattern.compile("/0+(?!\\d)");
    private static final Pattern NTH_DAY = Pattern.compile("(\\d+)#");
    private static final Pattern DAY_OF_WEEK = Pattern.compile("0*[1-7]");

    private final ScheduleType type;
    private final String expression;
    private final ZoneId zone;
    private final CronExpression cron;
    private final long rateSeconds;

    private Schedule(ScheduleType type, String expression, ZoneId zone, CronExpression cron, long rateSeconds) {
        this.type = type;
        this.expression = expression;
        this.zone = zone;
        this.cron = cron;
        this.rateSeconds = rateSeconds;
    }

    /** No automatic fires: manual and API triggers only. */
    public static Schedule none() {
        return new Schedule(ScheduleType.NONE, "", ZoneId.of("UTC"), null, 0);
    }

    public static Schedule cron(String expression, ZoneId zone) {
        return of(ScheduleType.CRON, expression, zone.getId());
    }

    public static Schedule fixedRate(long seconds) {
        return of(ScheduleType.FIXED_RATE, Long.toString(seconds), "UTC");
    }

    /**
     * Builds and validates a schedule from its three stored parts.
     *
     * @param zoneId an IANA time zone name; null or blank means UTC
     * @throws ValidationException naming {@code schedule.type}, {@code schedule.expression} or
     *                             {@code schedule.timezone}
     */
    public static Schedule of(ScheduleType type, String expression, String zoneId) {
        String key = type + "\u0000" + expression + "\u0000" + zoneId;
        Schedule known = PARSED.get(key);
        if (known != null) {
            return known;
        }
        Schedule parsed = parse(type, expression, zoneId);
        if (PARSED.size() >= MAX_PARSED) {
            PARSED.clear();
        }
        PARSED.put(key, parsed);
        return parsed;
    }

    private static Schedule parse(ScheduleType type, String expression, String zoneId) {
        if (type == null) {
            throw new ValidationException("schedule.type", "is required; one of CRON, FIXED_RATE, NONE");
        }
        ZoneId zone = parseZone(zoneId);
        String text = expression == null ? "" : expression.trim();
        return switch (type) {
            case NONE -> new Schedule(ScheduleType.NONE, "", zone, null, 0);
            case CRON -> new Schedule(ScheduleType.CRON, text, zone, parseCron(text, zone), 0);
            case FIXED_RATE -> new Schedule(ScheduleType.FIXED_RATE, text, zone, null, parseRate(text));
        };
    }

    private static ZoneId parseZone(String zoneId) {
        if (zoneId == null || zoneId.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(zoneId.trim());
        } catch (DateTimeException e) {
            throw new ValidationException("schedule.timezone",
                    "'" + zoneId + "' is not a time zone; use an IANA name such as 'Europe/Berlin' or 'UTC'", e);
        }
    }

    /** Whatever goes wrong in reading a cron, the answer names the field: nothing else escapes from here. */
    private static CronExpression parseCron(String text, ZoneId zone) {
        try {
            return checkAndParseCron(text, zone);
        } catch (ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValidationException("schedule.expression", "cron '" + text + "' is not valid: " + e
                    + "; " + CRON_HELP, e);
        }
    }

    private static CronExpression checkAndParseCron(String text, ZoneId zone) {
        if (text.isEmpty()) {
            throw new ValidationException("schedule.expression", "is empty; " + CRON_HELP);
        }
        int fields = text.split("\\s+").length;
        if (fields < 6 || fields > 7) {
            throw new ValidationException("schedule.expression", "'" + text + "' has " + fields
                    + " field(s), not 6 or 7; " + CRON_HELP);
        }
        // Quartz accepts these two and then never fires or fires oddly; say so instead.
        if (ZERO_STEP.matcher(text).find()) {
            throw new ValidationException("schedule.expression", "'" + text + "' has a step of 0 ('/0'); a step must be at least 1");
        }
        String dayOfWeek = text.split("\\s+")[5];
        Matcher nth = NTH_DAY.matcher(dayOfWeek);
        // Matched as text: a day such as 99999999999 does not even fit an int.
        if (nth.find() && !DAY_OF_WEEK.matcher(nth.group(1)).matches()) {
            throw new ValidationException("schedule.expression", "'" + text + "': day-of-week before '#' must be 1-7 (SUN-SAT), was "
                    + nth.group(1));
        }
        try {
            CronExpression parsed = new CronExpression(text);
            parsed.setTimeZone(TimeZone.getTimeZone(zone));
            return parsed;
        } catch (ParseException e) {
            throw new ValidationException("schedule.expression", "'" + text + "' is not valid: " + e.getMessage()
                    + "; " + CRON_HELP, e);
        } catch (RuntimeException e) {
            // Quartz throws unchecked exceptions for some malformed ranges; they mean the same thing.
            throw new ValidationException("schedule.expression", "'" + text + "' is not valid: " + e
                    + "; " + CRON_HELP, e);
        }
    }

    private static long parseRate(String text) {
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ValidationException("schedule.expression",
                    "'" + text + "' is not a whole number of seconds (FIXED_RATE takes the period in seconds, e.g. '30')");
        }
        if (seconds < 1 || seconds > MAX_RATE_SECONDS) {
            throw new ValidationException("schedule.expression",
                    "a fixed rate must be between 1 and " + MAX_RATE_SECONDS + " seconds, was " + seconds);
        }
        return seconds;
    }

    /** The first fire time strictly after {@code after}, if there is one. */
    public Optional<Instant> nextFireTime(Instant after) {
        return switch (type) {
            case NONE -> Optional.empty();
            case FIXED_RATE -> {
                long afterSecond = Math.floorDiv(after.getEpochSecond(), rateSeconds) * rateSeconds;
                yield Optional.of(Instant.ofEpochSecond(afterSecond + rateSeconds));
            }
            case CRON -> {
                // Quartz works in whole seconds: round down so that 'after' itself is never returned.
                Date next = cron.getTimeAfter(Date.from(Instant.ofEpochSecond(after.getEpochSecond())));
                yield Optional.ofNullable(next).map(Date::toInstant);
            }
        };
    }

    /**
     * Refuses a schedule that will never fire again, such as a cron for a past year or for 30
     * February. Called where people enter schedules; stored jobs load whatever they hold.
     */
    public Schedule requireFiresAfter(Instant now) {
        Optional<Instant> next;
        try {
            next = nextFireTime(now);
        } catch (RuntimeException e) {
            // Quartz parses some expressions it then cannot compute with; to a person it is the same: invalid.
            throw new ValidationException("schedule.expression", "cron '" + expression + "' cannot be computed: " + e
                    + "; " + CRON_HELP, e);
        }
        if (type != ScheduleType.NONE && next.isEmpty()) {
            throw new ValidationException("schedule.expression", "'" + expression + "' never fires after " + now
                    + " in " + zone.getId());
        }
        return this;
    }

    /** Up to {@code count} fire times strictly after {@code after}, in order. */
    public List<Instant> nextFireTimes(Instant after, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        List<Instant> times = new ArrayList<>(Math.min(count, 1024));
        Instant cursor = after;
        while (times.size() < count) {
            Optional<Instant> next = nextFireTime(cursor);
            if (next.isEmpty()) {
                break;
            }
            times.add(next.get());
            cursor = next.get();
        }
        return times;
    }

    /** Fire times in {@code (from, to]}, at most {@code limit} of them. */
    public List<Instant> fireTimesBetween(Instant from, Instant to, int limit) {
        List<Instant> times = new ArrayList<>();
        Instant cursor = from;
        while (times.size() < limit) {
            Optional<Instant> next = nextFireTime(cursor);
            if (next.isEmpty() || next.get().isAfter(to)) {
                break;
            }
            times.add(next.get());
            cursor = next.get();
        }
        return times;
    }

    public ScheduleType type() {
        return type;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Schedule that && type == that.type && expression.equals(that.expression)
                && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, expression, zone);
    }

    @Override
    public String toString() {
        return switch (type) {
            case NONE -> "NONE";
            case FIXED_RATE -> "FIXED_RATE every " + expression + "s";
            case CRON -> "CRON '" + expression + "' in " + zone.getId();
        };
    }
}
