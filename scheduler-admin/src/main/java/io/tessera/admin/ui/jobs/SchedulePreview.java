package io.tessera.admin.ui.jobs;

import io.tessera.core.schedule.Schedule;
import io.tessera.core.schedule.ScheduleType;
import io.tessera.core.validation.ValidationException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What the editor shows under the schedule: the next fire times in the job's time zone, or what is
 * wrong with the schedule. The parsing and the calendar are the core's {@link Schedule} (Quartz's
 * {@code CronExpression}); this only asks it and words the answer.
 *
 * @param times   the next fire times as the job's zone reads them, earliest first
 * @param message instead of times: why there are none; null when there are times
 * @param error   whether the message says that the schedule is wrong (rather than manual)
 */
public record SchedulePreview(List<String> times, String message, boolean error) {

    public static final int COUNT = 5;

    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss xxx (zzz)", Locale.ENGLISH);

    /**
     * @param expression the cron expression, or the period in seconds for FIXED_RATE
     * @param zone       null for UTC, as the core reads a missing zone
     */
    public static SchedulePreview of(ScheduleType type, String expression, ZoneId zone, Instant now) {
        if (type == null) {
            return new SchedulePreview(List.of(), "choose how the job is scheduled", true);
        }
        if (type == ScheduleType.NONE) {
            return new SchedulePreview(List.of(), "no automatic fires: the job runs when someone triggers it", false);
        }
        Schedule schedule;
        try {
            schedule = Schedule.of(type, expression, zone == null ? null : zone.getId());
        } catch (ValidationException e) {
            return new SchedulePreview(List.of(), e.reason(), true);
        }
        List<Instant> next;
        try {
            next = schedule.nextFireTimes(now, COUNT);
        } catch (RuntimeException e) {
            // Quartz can accept an expression it then fails to compute with: the editor shows it, never throws.
            return new SchedulePreview(List.of(), "'" + schedule.expression() + "' cannot be computed: " + e, true);
        }
        if (next.isEmpty()) {
            return new SchedulePreview(List.of(), "'" + schedule.expression() + "' never fires after "
                    + format(now, schedule.zone()), true);
        }
        return new SchedulePreview(next.stream().map(time -> format(time, schedule.zone())).toList(), null, false);
    }

    /** {@code Sun 2026-03-29 03:00:00 +02:00 (CEST)}. */
    static String format(Instant time, ZoneId zone) {
        return LOCAL_TIME.format(time.atZone(zone));
    }
}
