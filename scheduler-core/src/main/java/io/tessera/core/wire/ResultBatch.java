package io.tessera.core.wire;

import java.util.List;

/**
 * Executor → admin: the results of the shards that finished in one burst, in one signed request.
 * Answered with a {@link ResultBatchAck} once every result is stored (or was already); only then
 * may the executor drop its spooled copy. Reporting a result twice is harmless.
 */
public record ResultBatch(int v, List<ShardResult> results) implements WireMessage {

    /** At most this many results in one batch; larger bursts are split. */
    public static final int MAX_RESULTS = 1_000;
    /**
     * The largest encoded batch, by default, that an admin accepts and an agent sends (4 MiB); an agent
     * splits a burst into batches below its limit. Both sides can configure it.
     */
    public static final int DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

    public ResultBatch {
        results = results == null ? List.of() : List.copyOf(results);
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a result batch holds at least one result");
        }
        if (results.size() > MAX_RESULTS) {
            throw new IllegalArgumentException("a result batch holds at most " + MAX_RESULTS + " results, this one " + results.size());
        }
    }
}
