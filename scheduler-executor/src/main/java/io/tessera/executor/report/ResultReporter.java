package io.tessera.executor.report;

import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ResultBatchAck;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * Delivers a batch of finished shards' results to whoever records them (the admin). One call is one
 * attempt: the agent spools the batch first, retries with backoff while the stage fails, and removes
 * the spooled copy once a {@link ResultBatchAck} arrives. Implementations must not block the caller.
 */
@FunctionalInterface
public interface ResultReporter {

    /** @param target the admin's results URL for this batch */
    CompletionStage<ResultBatchAck> report(ResultBatch batch, URI target);
}
