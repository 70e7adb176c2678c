package io.tessera.admin.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times and durations read in the UI: UTC, to the second, like the logs. */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("UTC"));

    private Formats() {
    }

    /** {@code 2026-11-26 01:02:03}, or an empty string for null. */
    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** {@code 1h 02m}, {@code 3m 04s}, {@code 5.2s}, {@code 87ms}; empty for null. */
    public static String duration(Duration duration) {
        if (duration == null) {
            return "";
        }
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format("%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** The time between two instants, up to now when {@code to} is null; empty when {@code from} is null. */
    public static String between(Instant from, Instant to) {
        return from == null ? "" : duration(Duration.between(from, to == null ? Instant.now() : to));
    }
}
