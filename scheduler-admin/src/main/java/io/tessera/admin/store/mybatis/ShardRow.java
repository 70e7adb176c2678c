package io.tessera.admin.store.mybatis;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** One row of {@code shard_run}; devices as {@code GPU:0,GPU:1}. */
public class ShardRow {
    public long runId;
    public int shardIndex;
    public String status;
    public String executorId;
    public int attempt;
    public String devices;
    public Instant startedAt;
    public Instant finishedAt;
    public Integer exitCode;
    public String message;

    static ShardRow pending(long runId, int shardIndex) {
        ShardRow row = new ShardRow();
        row.runId = runId;
        row.shardIndex = shardIndex;
        row.status = RunStatus.PENDING.name();
        row.attempt = 0;
        row.devices = "";
        return row;
    }

    static ShardRow of(ShardRun shard) {
        ShardRow row = new ShardRow();
        row.runId = shard.runId();
        row.shardIndex = shard.shardIndex();
        row.status = shard.status().name();
        row.executorId = shard.executorId();
        row.attempt = shard.attempt();
        row.devices = shard.devices().stream().map(DeviceId::toString).collect(Collectors.joining(","));
        row.startedAt = UtcInstantTypeHandler.stored(shard.startedAt());
        row.finishedAt = UtcInstantTypeHandler.stored(shard.finishedAt());
        row.exitCode = shard.exitCode();
        row.message = Texts.clip(shard.message());
        return row;
    }

    ShardRun toShard() {
        return new ShardRun(runId, shardIndex, RunStatus.valueOf(status), executorId, attempt, parseDevices(devices),
                startedAt, finishedAt, exitCode, message);
    }

    static List<DeviceId> parseDevices(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).map(item -> {
            int colon = item.lastIndexOf(':');
            return new DeviceId(item.substring(0, colon), Integer.parseInt(item.substring(colon + 1)));
        }).toList();
    }
}
