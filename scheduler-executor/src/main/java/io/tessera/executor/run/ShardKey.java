package io.tessera.executor.run;

/** One shard of one run. */
public record ShardKey(long runId, int shard) {

    @Override
    public String toString() {
        return "run " + runId + " shard " + shard;
    }
}
