package io.tessera.executor.report;

import io.tessera.core.wire.ShardResult;

import java.util.List;

/**
 * Results waiting in the spool for their acknowledgement, all bound for the same place.
 *
 * @param reportTo where they go (a trigger's {@code reportTo}); null for the configured admin
 */
public record SpooledBatch(String reportTo, List<ShardResult> results) {

    public SpooledBatch {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** For log lines: how many, and the first one. */
    public String describe() {
        if (results.isEmpty()) {
            return "no results";
        }
        ShardResult first = results.get(0);
        return results.size() + " result(s) (run " + first.runId() + " shard " + first.shardIndex()
                + (results.size() > 1 ? ", …)" : ")");
    }
}
