package io.tessera.core.wire;

import com.fasterxml.jackson.annotation.JsonCreator;

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

    /**
     * Reads a kill through {@link Json}, whose preemption fields may be missing: the wire codec refuses
     * records with missing constructor fields, and an admin of the previous release sends plain kills
     * without them.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static KillRequest fromJson(Json json) {
        if (json.runId == null) {
            throw new IllegalArgumentException("field 'runId' is missing");
        }
        if (json.shardIndex == null) {
            throw new IllegalArgumentException("field 'shardIndex' is missing");
        }
        return new KillRequest(json.v == null ? 0 : json.v, json.runId, json.shardIndex, json.reason,
                Boolean.TRUE.equals(json.preempted), json.graceSeconds == null ? 0 : json.graceSeconds);
    }

    /** The JSON form, every field optional. */
    static final class Json {
        public Integer v;
        public Long runId;
        public Integer shardIndex;
        public String reason;
        public Boolean preempted;
        public Integer graceSeconds;
    }
}
