package io.tessera.core.wire;

/**
 * Admin → executor: stop a shard (its whole process tree for command handlers).
 *
 * @param preempted    the shard is stopped to make room for a run of higher priority, or to give borrowed quota back:
 *                     its handler is told ({@code ShardContext.isPreempted()}) and the leader puts it back in the queue
 * @param graceSeconds how long a command's process tree has between SIGTERM and SIGKILL; 0 for the agent's own kill grace
 */
public record KillRequest(int v, long runId, int shardIndex, String reason, boolean preempted, int graceSeconds)
        implements WireMessage {

    public KillRequest {
        if (graceSeconds < 0) {
            throw new IllegalArgumentException("graceSeconds must not be negative, was " + graceSeconds);
        }
    }

    /** A plain kill: cancel, gang restart, or a shard its run no longer needs. */
    public KillRequest(int v, long runId, int shardIndex, String reason) {
        this(v, runId, shardIndex, reason, false, 0);
    }
}
