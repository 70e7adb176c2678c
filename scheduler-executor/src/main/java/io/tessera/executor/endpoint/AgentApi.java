package io.tessera.executor.endpoint;

import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.KillReply;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.LogRead;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** What the endpoint serves; the HTTP side only decodes, authenticates, routes and encodes. */
public interface AgentApi {

    /** Must not block: it runs on the event loop. */
    CompletionStage<TriggerReply> trigger(TriggerRequest request, long receivedNanos);

    /** Every trigger of the batch, claimed together and answered in order. Must not block. */
    CompletionStage<TriggerBatchReply> trigger(TriggerBatch batch, long receivedNanos);

    /** Must not block. */
    KillReply kill(KillRequest request);

    /** May block on file I/O: the endpoint calls it off the event loop. Empty when there is no such log here. */
    Optional<LogChunk> readLog(LogRead request) throws IOException;

    ExecutorStatus status();
}
