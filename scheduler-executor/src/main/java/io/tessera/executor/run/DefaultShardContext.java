package io.tessera.executor.run;

import io.tessera.core.model.DeviceId;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.executor.handler.ShardContext;
import io.tessera.executor.handler.ShardLog;
import io.tessera.executor.log.FileShardLog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The context handed to a handler, a view of its {@link ShardExecution}. */
final class DefaultShardContext implements ShardContext {

    private final ShardExecution execution;
    private final FileShardLog log;

    DefaultShardContext(ShardExecution execution, FileShardLog log) {
        this.execution = execution;
        this.log = log;
    }

    private TriggerRequest trigger() {
        return execution.trigger;
    }

    @Override public long runId() { return trigger().runId(); }
    @Override public long jobId() { return trigger().jobId(); }
    @Override public String jobName() { return trigger().jobName(); }
    @Override public int shardIndex() { return trigger().shardIndex(); }
    @Override public int shardTotal() { return trigger().shardTotal(); }
    @Override public int attempt() { return trigger().attempt(); }
    @Override public Instant scheduledAt() { return trigger().scheduledAt(); }
    @Override public List<DeviceId> devices() { return trigger().devices(); }
    @Override public long fencingToken() { return execution.claim.fencingToken(); }
    @Override public String params() { return trigger().params(); }
    @Override public TriggerRequest.Rendezvous rendezvous() { return trigger().rendezvous(); }
    @Override public int timeoutSeconds() { return trigger().timeoutSeconds(); }
    @Override public ShardLog log() { return log; }
    @Override public Path logFile() { return log.open(); }
    @Override public boolean isCancelled() { return execution.isCancelled(); }
    @Override public boolean isPreempted() { return execution.stopReason() == StopReason.PREEMPTED; }
    @Override public Optional<String> preemptionReason() { return execution.preemptionReason(); }
    @Override public Optional<Duration> stopGrace() { return execution.stopGrace(); }
    @Override public long receivedNanos() { return execution.receivedNanos; }
}
