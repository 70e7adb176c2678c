package io.tessera.core.wire;

import java.util.List;

/** Executor → admin: one {@link TriggerReply} per trigger of a {@link TriggerBatch}, in its order. */
public record TriggerBatchReply(int v, List<TriggerReply> replies) implements WireMessage {

    public TriggerBatchReply {
        replies = replies == null ? List.of() : List.copyOf(replies);
    }
}
