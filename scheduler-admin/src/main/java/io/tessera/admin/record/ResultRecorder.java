package io.tessera.admin.record;

import io.tessera.admin.store.RunStore;
import io.tessera.core.model.ShardRun;
import io.tessera.core.wire.ShardResult;

import java.util.List;

/**
 * Stores the results executors report, on whichever admin receives them, a whole report in one
 * transaction. Idempotent: a result stored before changes nothing and counts as already recorded.
 */
public final class ResultRecorder {

    private final RunStore runs;

    public ResultRecorder(RunStore runs) {
        this.runs = runs;
    }

    /** For each result, in order, whether this call stored it. */
    public List<Boolean> record(List<ShardResult> results) {
        return runs.completeShards(results.stream().map(ResultRecorder::row).toList());
    }

    /** The row a result becomes: the whole shard, devices included (no devices keeps those of its placement). */
    public static ShardRun row(ShardResult result) {
        return new ShardRun(result.runId(), result.shardIndex(), result.status(), result.executorId(), result.attempt(),
                result.devices(), result.startedAt(), result.finishedAt(), result.exitCode(), result.message());
    }
}
