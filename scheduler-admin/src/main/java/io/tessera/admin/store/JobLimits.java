package io.tessera.admin.store;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.validation.ValidationException;

import java.util.stream.Collectors;

/**
 * The sizes of the {@code job} columns (sql/common/V1__schema.sql, V3), checked where jobs are
 * entered, so that a person hears which field is too long instead of the database refusing the row.
 * Fields the core already bounds tighter (name, group, handler: 128) are not repeated here.
 */
public final class JobLimits {

    public static final int SCHEDULE_EXPRESSION = 255;
    public static final int SCHEDULE_ZONE = 64;
    /** {@code child_job_ids} holds the ids comma-separated. */
    public static final int CHILD_JOB_IDS = 4000;

    private JobLimits() {
    }

    /** @throws ValidationException naming the first field that does not fit its column */
    public static void check(JobDefinition job) {
        String expression = job.schedule().expression();
        if (expression.length() > SCHEDULE_EXPRESSION) {
            throw new ValidationException("schedule.expression", "must be at most " + SCHEDULE_EXPRESSION
                    + " characters, was " + expression.length());
        }
        String zone = job.schedule().zone().getId();
        if (zone.length() > SCHEDULE_ZONE) {
            throw new ValidationException("schedule.timezone", "must be at most " + SCHEDULE_ZONE
                    + " characters, was " + zone.length());
        }
        int childText = childJobIdsText(job).length();
        if (childText > CHILD_JOB_IDS) {
            throw new ValidationException("childJobIds", job.childJobIds().size() + " child jobs are too many: their ids"
                    + " take " + childText + " characters comma-separated, at most " + CHILD_JOB_IDS + " fit");
        }
    }

    /** How {@code child_job_ids} stores the ids. */
    public static String childJobIdsText(JobDefinition job) {
        return job.childJobIds().stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
