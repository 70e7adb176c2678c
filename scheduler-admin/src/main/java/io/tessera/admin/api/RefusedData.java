package io.tessera.admin.api;

import io.tessera.admin.engine.DatabaseFailures;
import org.springframework.http.HttpStatus;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database refused a value (too long for its column, a broken constraint): bad input that got
 * past the edge's checks. Answered as a 400 naming the API field the column holds, never as an outage.
 */
public final class RefusedData {

    /** Columns (and constraints) as the API names their fields. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("name", "name"),
            Map.entry("uk_job_name", "name"),
            Map.entry("job_group", "group"),
            Map.entry("schedule_expr", "schedule.expression"),
            Map.entry("schedule_zone", "schedule.timezone"),
            Map.entry("handler", "handler"),
            Map.entry("params", "params"),
            Map.entry("accelerators", "accelerators"),
            Map.entry("child_job_ids", "childJobIds"),
            Map.entry("idempotency_key", "Idempotency-Key"),
            Map.entry("uk_run_idempotency", "Idempotency-Key"));

    /** MariaDB: "Data too long for column 'schedule_expr'"; H2: "Value too long for column \"SCHEDULE_EXPR ...". */
    private static final Pattern COLUMN = Pattern.compile("(?:column|constraint|index)\\s+[`'\"]?(?:PUBLIC\\.)?(?:JOB\\.|job\\.)?([A-Za-z_]+)",
            Pattern.CASE_INSENSITIVE);

    private RefusedData() {
    }

    static Problem problem(Throwable error) {
        String root = DatabaseFailures.rootMessage(error);
        String field = field(root);
        String detail = field.equals("body")
                ? "the database refused the data: " + root
                : "the database refused this value (" + root + "); shorten or correct it";
        return Problem.ofField(HttpStatus.BAD_REQUEST, "invalid-field", field, detail, null);
    }

    /** The API field a database message is about; {@code body} when it names no column this knows. */
    public static String field(String message) {
        Matcher column = COLUMN.matcher(message == null ? "" : message);
        while (column.find()) {
            String field = FIELDS.get(column.group(1).toLowerCase(Locale.ROOT));
            if (field != null) {
                return field;
            }
        }
        return "body";
    }
}
