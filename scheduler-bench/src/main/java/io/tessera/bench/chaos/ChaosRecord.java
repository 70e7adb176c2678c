package io.tessera.bench.chaos;

import java.time.Instant;

/**
 * One line of a chaos worker's ledger:
 * {@code kind runId shard attempt fencingToken micros executorId jobId scheduledAtMicros outcome}.
 * <ul>
 *   <li>{@code S}: the handler started (written after it announced its token to the fenced store);
 *       outcome {@code -}</li>
 *   <li>{@code W}: the handler's write to the fenced store; outcome {@code ACCEPTED} or {@code REFUSED};
 *       {@code micros} is taken before the write begins</li>
 *   <li>{@code F}: the handler finished; outcome {@code OK}, {@code FAILED} or {@code CANCELLED}</li>
 * </ul>
 */
public record ChaosRecord(char kind, long runId, int shard, int attempt, long token, long micros,
                          String executorId, long jobId, long scheduledAtMicros, String outcome) {

    public static final String HEADER =
            "# kind runId shard attempt fencingToken micros executorId jobId scheduledAtMicros outcome";

    public ChaosRecord {
        if (kind != 'S' && kind != 'W' && kind != 'F') {
            throw new IllegalArgumentException("kind must be S, W or F, was " + kind);
        }
        if (executorId == null || executorId.isEmpty() || executorId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("executorId must be one word, was '" + executorId + "'");
        }
    }

    static ChaosRecord start(long runId, int shard, int attempt, long token, long micros, String executor, long jobId,
                             long scheduledAtMicros) {
        return new ChaosRecord('S', runId, shard, attempt, token, micros, executor, jobId, scheduledAtMicros, "-");
    }

    static ChaosRecord write(ChaosRecord start, long micros, boolean accepted) {
        return start.as('W', micros, accepted ? "ACCEPTED" : "REFUSED");
    }

    static ChaosRecord finish(ChaosRecord start, long micros, String outcome) {
        return start.as('F', micros, outcome);
    }

    private ChaosRecord as(char newKind, long newMicros, String newOutcome) {
        return new ChaosRecord(newKind, runId, shard, attempt, token, newMicros, executorId, jobId, scheduledAtMicros,
                newOutcome);
    }

    /** (run, shard): the unit that must succeed exactly once. */
    ShardKey key() {
        return new ShardKey(runId, shard);
    }

    boolean succeeded() {
        return kind == 'F' && outcome.equals("OK");
    }

    public String format() {
        return kind + " " + runId + " " + shard + " " + attempt + " " + token + " " + micros + " " + executorId + " "
                + jobId + " " + scheduledAtMicros + " " + outcome;
    }

    /** @throws IllegalArgumentException when the line is not a ledger line (a torn last line after kill -9) */
    public static ChaosRecord parse(String line) {
        String[] f = line.trim().split(" +");
        if (f.length != 10 || f[0].length() != 1) {
            throw new IllegalArgumentException("not a chaos ledger line: '" + line + "'");
        }
        try {
            return new ChaosRecord(f[0].charAt(0), Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), f[6], Long.parseLong(f[7]), Long.parseLong(f[8]), f[9]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a chaos ledger line: '" + line + "'", e);
        }
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** A shard of a run. */
    record ShardKey(long runId, int shard) {
    }
}
