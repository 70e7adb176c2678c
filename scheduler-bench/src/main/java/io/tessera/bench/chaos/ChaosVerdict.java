package io.tessera.bench.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ledgers, the schedule and the database say after a chaos run. Every count named a
 * violation must be 0; the observations are reported beside them.
 *
 * @param violations name to count, in a fixed order; the run passes when all are 0
 * @param observations name to count: what happened that the criteria do not forbid
 * @param examples up to a few lines per violation, to start looking from
 */
public record ChaosVerdict(Map<String, Long> violations, Map<String, Long> observations, List<String> examples) {

    public static final String DOUBLE_SUCCESS = "shards whose handler finished successfully twice";
    public static final String LOST_FIRES = "cron fires lost beyond the job's misfire policy";
    public static final String LOST_CHILD_FIRES = "child fires lost (parent runs succeeded without a child run)";
    public static final String LOST_TRIGGERS = "API triggers answered 202 whose run the database does not have";
    public static final String CANCELLED_WHILE_RUNNING = "runs cancelled (as missed) although a handler had started them";
    public static final String LOST_RESULTS = "results lost (a ledger success the database does not have)";
    public static final String PHANTOM_SUCCESSES = "shards the database says SUCCEEDED that no handler finished";
    public static final String RUNS_NOT_ENDED = "runs not ended after the drain";
    public static final String STARTS_WITHOUT_RUN = "handler starts of a run the database does not have";
    public static final String LEADER_OVERLAP = "times two admins led at once, both running";
    public static final String STALE_WRITE_ACCEPTED = "stale holders' writes the fenced store accepted";
    public static final String REFUSED_NOT_STALE = "writes refused although no newer holder had started";

    public boolean passed() {
        return violations.values().stream().allMatch(v -> v == 0);
    }

    static Map<String, Long> emptyViolations() {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String name : List.of(DOUBLE_SUCCESS, LOST_FIRES, LOST_CHILD_FIRES, LOST_TRIGGERS, LOST_RESULTS,
                PHANTOM_SUCCESSES, CANCELLED_WHILE_RUNNING,
                RUNS_NOT_ENDED, STARTS_WITHOUT_RUN, LEADER_OVERLAP, STALE_WRITE_ACCEPTED, REFUSED_NOT_STALE)) {
            v.put(name, 0L);
        }
        return v;
    }

    /** One line per count, violations first, for the console and the report. */
    public String summary() {
        StringBuilder s = new StringBuilder("verdict: ").append(passed() ? "PASSED" : "FAILED").append('\n');
        violations.forEach((k, v) -> s.append(v == 0 ? "  ok   " : "  FAIL ").append(String.format("%6d  %s%n", v, k)));
        observations.forEach((k, v) -> s.append(String.format("  info %6d  %s%n", v, k)));
        return s.toString();
    }
}
