package io.tessera.admin.engine;

import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.admin.record.ResultRecorder;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;

import java.util.List;

/**
 * Where results reported by executors enter the admin, whichever admin receives them: the whole
 * report is stored in one transaction, then the leader hears of it as one event (on a follower,
 * the leader is nudged through ZooKeeper). Storing first means a result survives this admin's
 * death the moment it is acknowledged.
 */
public final class ResultIntake {

    private final ResultRecorder recorder;
    private final SchedulingEngine engine;
    private final ClusterSignals signals;

    public ResultIntake(ResultRecorder recorder, SchedulingEngine engine, ClusterSignals signals) {
        this.recorder = recorder;
        this.engine = engine;
        this.signals = signals;
    }

    /** @throws RuntimeException when the database cannot store them now: the executor keeps them and tries again */
    public ResultBatchAck accept(List<ShardResult> results) {
        List<Boolean> stored = recorder.record(results);
        int recorded = (int) stored.stream().filter(Boolean::booleanValue).count();
        if (engine.isLeading()) {
            engine.resultsRecorded(results);
        } else if (recorded > 0) {
            signals.runsChanged();
        }
        return new ResultBatchAck(WireMessage.PROTOCOL_VERSION, recorded, results.size() - recorded);
    }
}
