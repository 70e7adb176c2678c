package io.tessera.core.wire;

import java.util.List;

/**
 * Admin → executor: several triggers in one request, for the shards that one placement pass sent
 * to the same executor. Answered with a {@link TriggerBatchReply} holding one reply per trigger, in
 * the same order. Each trigger is claimed and handled exactly as if it came alone.
 */
public record TriggerBatch(int v, List<TriggerRequest> triggers) implements WireMessage {

    /** At most this many triggers in one batch; larger sends are split. */
    public static final int MAX_TRIGGERS = 500;

    public TriggerBatch {
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        if (triggers.size() > MAX_TRIGGERS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_TRIGGERS + " triggers, this one " + triggers.size());
        }
    }
}
