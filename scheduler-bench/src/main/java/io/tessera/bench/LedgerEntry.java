package io.tessera.bench;

import java.time.Instant;

/**
 * One handler start, as the worker's handler appended it to its ledger: one line of
 * {@code runId shard attempt fencingToken startMicros executorId jobId scheduledAtMicros}.
 * Times are microseconds since the epoch; {@code scheduledAtMicros} is the fire time the shard runs
 * for ({@code ShardContext.scheduledAt()}), so lateness is keyed by it, not by when the start happened.
 */
public record LedgerEntry(long runId, int shard, int attempt, long fencingToken, long startMicros,
                          String executorId, long jobId, long scheduledAtMicros) {

    /** The first line of every ledger file; lines starting with {@code #} are comments. */
    public static final String HEADER = "# runId shard attempt fencingToken startMicros executorId jobId scheduledAtMicros";

    private static final int FIELDS = 8;

    public LedgerEntry {
        if (executorId == null || executorId.isEmpty() || executorId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("executorId must be one word, was '" + executorId + "'");
        }
    }

    /** How long after its fire time the handler started; negative when it started early. */
    public long latenessMicros() {
        return startMicros - scheduledAtMicros;
    }

    public String format() {
        return runId + " " + shard + " " + attempt + " " + fencingToken + " " + startMicros + " " + executorId + " "
                + jobId + " " + scheduledAtMicros;
    }

    /** @throws IllegalArgumentException when the line is not a ledger line (a comment is not one either) */
    public static LedgerEntry parse(String line) {
        String[] f = line.trim().split(" +");
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("a ledger line has " + FIELDS + " fields, this one " + f.length + ": '" + line + "'");
        }
        try {
            return new LedgerEntry(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]), f[5], Long.parseLong(f[6]), Long.parseLong(f[7]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a ledger line: '" + line + "' (" + e.getMessage() + ")", e);
        }
    }

    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
