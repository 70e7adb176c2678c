package io.tessera.executor.run;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A stop of a held shard: why, and for a preemption the admin's reason and the grace its process
 * tree gets between SIGTERM and SIGKILL.
 *
 * @param detail the admin's words for a preemption, else empty
 * @param grace  null for the agent's own kill grace
 */
record ShardStop(StopReason reason, String detail, Duration grace) {

    ShardStop {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        if (grace != null && (grace.isNegative() || grace.isZero())) {
            grace = null;
        }
    }

    static ShardStop of(StopReason reason) {
        return new ShardStop(reason, "", null);
    }

    /** A grace of zero (or none) means the agent's own kill grace. */
    static ShardStop preemption(String reason, Duration grace) {
        return new ShardStop(StopReason.PREEMPTED, reason, grace);
    }

    Optional<Duration> ownGrace() {
        return Optional.ofNullable(grace);
    }

    /**
     * What the shard's result says it was: {@code preempted: <reason>} for a preemption, which the
     * admin and the people reading the run look for, else {@code stopped: <REASON>}.
     */
    String describe() {
        return reason == StopReason.PREEMPTED ? "preempted: " + detail : "stopped: " + reason;
    }

    /** The same for a shard stopped before its handler ran; {@code when}: "before it started", "while queued". */
    String describe(String when) {
        return reason == StopReason.PREEMPTED ? "preempted: " + detail + " (" + when + ")" : "stopped " + when + ": " + reason;
    }
}
