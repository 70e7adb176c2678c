package io.tessera.executor;

import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.KillReply;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.LogRead;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireMessage;
import io.tessera.executor.device.DeviceInventory;
import io.tessera.executor.endpoint.AgentApi;
import io.tessera.executor.log.ShardLogFiles;
import io.tessera.executor.run.ShardKey;
import io.tessera.executor.run.ShardRunner;
import io.tessera.executor.run.StopReason;
import io.tessera.executor.run.TriggerService;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The endpoint's operations, served by this agent's components. */
final class LocalAgentApi implements AgentApi {

    private final String executorId;
    private final String group;
    private final int slots;
    private final TriggerService triggers;
    private final ShardRunner runner;
    private final ShardLogFiles logs;
    private final DeviceInventory devices;

    LocalAgentApi(String executorId, String group, int slots, TriggerService triggers, ShardRunner runner,
                  ShardLogFiles logs, DeviceInventory devices) {
        this.executorId = executorId;
        this.group = group;
        this.slots = slots;
        this.triggers = triggers;
        this.runner = runner;
        this.logs = logs;
        this.devices = devices;
    }

    @Override
    public CompletionStage<TriggerReply> trigger(TriggerRequest request, long receivedNanos) {
        return triggers.trigger(request, receivedNanos);
    }

    @Override
    public CompletionStage<TriggerBatchReply> trigger(TriggerBatch batch, long receivedNanos) {
        return triggers.triggerAll(batch.triggers(), receivedNanos)
                .thenApply(replies -> new TriggerBatchReply(WireMessage.PROTOCOL_VERSION, replies));
    }

    @Override
    public KillReply kill(KillRequest request) {
        ShardKey key = new ShardKey(request.runId(), request.shardIndex());
        boolean killed = request.preempted()
                ? runner.preempt(key, request.reason(), Duration.ofSeconds(request.graceSeconds()))
                : runner.stop(key, StopReason.KILLED);
        return new KillReply(WireMessage.PROTOCOL_VERSION, request.runId(), request.shardIndex(), killed,
                killed ? "stopping" : "not running on this executor");
    }

    @Override
    public Optional<LogChunk> readLog(LogRead request) throws IOException {
        Optional<Path> file = logs.latest(request.runId(), request.shardIndex());
        if (file.isEmpty()) {
            return Optional.empty();
        }
        ShardLogFiles.Chunk chunk = ShardLogFiles.read(file.get(), request.offset(), request.maxBytes());
        boolean running = runner.holds(new ShardKey(request.runId(), request.shardIndex()));
        return Optional.of(new LogChunk(WireMessage.PROTOCOL_VERSION, request.runId(), request.shardIndex(), request.offset(),
                chunk.nextOffset(), chunk.text(), !running && chunk.nextOffset() >= chunk.size()));
    }

    @Override
    public ExecutorStatus status() {
        return new ExecutorStatus(WireMessage.PROTOCOL_VERSION, executorId, group, slots, runner.running(),
                devices.free(runner.busyDevices()));
    }
}
