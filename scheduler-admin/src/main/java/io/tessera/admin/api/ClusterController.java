package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.cluster.AdminNode;
import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.dispatch.ExecutorClient;
import io.tessera.admin.engine.EngineHealth;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.ExecutorStatus;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The executors with their devices, and the admins with their dependencies' health.
 *
 * <p>Which devices are busy is asked of each executor ({@code /v1/status}, signed, all executors at
 * once with a short timeout) rather than derived from the database: the executor is the one that
 * knows what runs on it now, including shards whose results are not recorded yet, and asking costs
 * one request per executor instead of a scan of every running run's shards. An executor that does
 * not answer is listed with {@code reachable: false} and unknown ({@code null}) busy flags.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "cluster")
public class ClusterController {

    private static final long STATUS_TIMEOUT_MS = 2_000;

    private final ExecutorDirectory directory;
    private final ExecutorClient executors;
    private final AdminNode admin;
    private final CuratorFramework zookeeper;
    private final DataSource database;
    private final EngineHealth engine;

    public ClusterController(ExecutorDirectory directory, ExecutorClient executors, AdminNode admin,
                             CuratorFramework zookeeper, DataSource database, EngineHealth engine) {
        this.directory = directory;
        this.executors = executors;
        this.admin = admin;
        this.zookeeper = zookeeper;
        this.database = database;
        this.engine = engine;
    }

    @Operation(summary = "Live executors", description = "each with its devices (busy or not) and the shards it runs")
    @GetMapping("/executors")
    public List<ApiJson.ExecutorJson> executors() {
        List<ExecutorCard> cards = directory.all();
        List<CompletableFuture<ExecutorStatus>> statuses = cards.stream()
                .map(card -> executors.status(card.address()).orTimeout(STATUS_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                .toList();
        return java.util.stream.IntStream.range(0, cards.size())
                .mapToObj(i -> describe(cards.get(i), statuses.get(i))).toList();
    }

    private static ApiJson.ExecutorJson describe(ExecutorCard card, CompletableFuture<ExecutorStatus> pending) {
        ExecutorStatus answer = null;
        String error = null;
        try {
            answer = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = "status request failed: " + (e.getCause() == null ? e : e.getCause());
        }
        ExecutorStatus status = answer;
        Set<DeviceId> free = status == null ? Set.of() : new HashSet<>(status.freeDevices());
        Boolean unknown = null;
        List<ApiJson.DeviceJson> devices = card.devices().stream().map(device -> new ApiJson.DeviceJson(
                DeviceId.of(device).toString(), device.kind(), device.vendor(), device.model(), device.memoryMb(),
                device.index(), device.uuid(), status == null ? unknown : !free.contains(DeviceId.of(device)))).toList();
        List<ApiJson.RunningShardJson> running = status == null ? null : status.running().stream()
                .map(shard -> new ApiJson.RunningShardJson(shard.runId(), shard.shardIndex(), shard.jobName(), shard.attempt(),
                        shard.devices().stream().map(DeviceId::toString).toList(), shard.startedAt())).toList();
        return new ApiJson.ExecutorJson(card.id(), card.group(), card.address(), card.version(), card.slots(), card.labels(),
                devices, running, status != null, error);
    }

    @Operation(summary = "The cluster", description = "the leader, the admins that are up, ZooKeeper, database and engine health")
    @GetMapping("/cluster")
    public ApiJson.ClusterJson cluster() {
        boolean zkUp = zookeeper.getZookeeperClient().isConnected();
        ApiJson.Health zk = new ApiJson.Health(zkUp ? "UP" : "DOWN", zkUp ? "connected" : "not connected");
        EngineHealth.Status status = engine.status();
        ApiJson.Health engineHealth = new ApiJson.Health(status.mode() == EngineHealth.Mode.PAUSED ? "OUT_OF_SERVICE" : "UP",
                status.mode() + ": " + status.reason());
        return new ApiJson.ClusterJson(admin.leaderId().orElse(null), admin.adminId(), admin.admins(), zk, databaseHealth(),
                engineHealth, directory.all().size());
    }

    private ApiJson.Health databaseHealth() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(2) ? new ApiJson.Health("UP", connection.getMetaData().getDatabaseProductName())
                    : new ApiJson.Health("DOWN", "the connection is not valid");
        } catch (Exception e) {
            return new ApiJson.Health("DOWN", e.getMessage());
        }
    }
}
