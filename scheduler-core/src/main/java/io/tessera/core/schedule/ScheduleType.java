package io.tessera.core.schedule;

public enum ScheduleType {
    /** Quartz cron syntax with seconds, in the job's time zone. */
    CRON,
    /** Every N seconds, aligned to the epoch so every admin computes the same fire times. */
    FIXED_RATE,
    /** Fired only by a person or the API. */
    NONE
}
