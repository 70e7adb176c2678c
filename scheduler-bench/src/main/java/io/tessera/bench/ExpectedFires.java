package io.tessera.bench;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

/** The fire times a cron job must have in a window, computed from the cron itself (Quartz syntax, as Tessera's). */
public final class ExpectedFires {

    private static final int MAX_FIRES = 10_000_000;

    private ExpectedFires() {
    }

    /** Fire times in {@code [from, to)}, in order. */
    public static List<Instant> between(String cron, ZoneId zone, Instant from, Instant to) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron expression: '" + cron + "': " + e.getMessage(), e);
        }
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        List<Instant> fires = new ArrayList<>();
        // getNextValidTimeAfter is strictly after: start a millisecond before the window.
        Date next = expression.getNextValidTimeAfter(Date.from(from.minusMillis(1)));
        while (next != null && next.toInstant().isBefore(to)) {
            if (!next.toInstant().isBefore(from)) {
                fires.add(next.toInstant());
            }
            if (fires.size() > MAX_FIRES) {
                throw new IllegalArgumentException("more than " + MAX_FIRES + " fires of '" + cron + "' in the window");
            }
            next = expression.getNextValidTimeAfter(next);
        }
        return fires;
    }
}
