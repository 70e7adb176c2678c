package io.tessera.admin.engine;

import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.ShardRun;
import io.tessera.core.wire.ResultAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;

import java.util.List;

/**
 * Records results that executors report, on whichever admin receives them. Recording is
 * idempotent: a second report of the same result is acknowledged and changes nothing.
 */
public final class ResultRecorder {

    private final RunStore runs;
    private final SchedulingEngine engine;
    private final ClusterSignals signals;

    public ResultRecorder(RunStore runs, SchedulingEngine engine, ClusterSignals signals) {
        this.runs = runs;
        this.engine = engine;
        this.signals = signals;
    }

    public ResultAck record(ShardResult result) {
        boolean fresh = runs.completeShard(new ShardRun(result.runId(), result.shardIndex(), result.status(),
                result.executorId(), result.attempt(), List.of(), result.startedAt(), result.finishedAt(), result.exitCode(),
                result.message()));
        if (engine.isLeading()) {
            engine.resultRecorded(result);
        } else if (fresh) {
            signals.runsChanged();
        }
        return new ResultAck(WireMessage.PROTOCOL_VERSION, result.runId(), result.shardIndex(), true,
                fresh ? "recorded" : "already recorded");
    }
}
