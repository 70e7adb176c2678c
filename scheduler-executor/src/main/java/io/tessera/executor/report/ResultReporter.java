package io.tessera.executor.report;

import io.tessera.core.wire.ResultAck;
import io.tessera.core.wire.ShardResult;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * Delivers one finished shard's result to whoever records it (the admin). One call is one attempt:
 * the agent spools the result first, retries with backoff while the stage fails, and removes the
 * spooled copy once a {@link ResultAck} arrives. Implementations must not block the caller.
 */
@FunctionalInterface
public interface ResultReporter {

    /** @param target the admin's results URL for this shard */
    CompletionStage<ResultAck> report(ShardResult result, URI target);
}
