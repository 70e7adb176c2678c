package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.overview.ClusterOverview;
import io.tessera.admin.engine.EngineHealth;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.List;

/**
 * The executors with their devices, and the admins with their dependencies' health. Which devices
 * are busy, and how that is found out, is {@link ClusterOverview}'s business.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "cluster")
public class ClusterController {

    private final ClusterOverview overview;
    private final CuratorFramework zookeeper;
    private final DataSource database;
    private final EngineHealth engine;

    public ClusterController(ClusterOverview overview, CuratorFramework zookeeper, DataSource database,
                             EngineHealth engine) {
        this.overview = overview;
        this.zookeeper = zookeeper;
        this.database = database;
        this.engine = engine;
    }

    @Operation(summary = "Live executors", description = "each with its devices (busy or not) and the shards it runs")
    @GetMapping("/executors")
    public List<ApiJson.ExecutorJson> executors() {
        return overview.executors().stream().map(ClusterController::describe).toList();
    }

    private static ApiJson.ExecutorJson describe(ClusterOverview.ExecutorState executor) {
        ExecutorCard card = executor.card();
        List<ApiJson.DeviceJson> devices = executor.devices().stream().map(state -> {
            Device device = state.device();
            Boolean busy = switch (state.occupancy()) {
                case BUSY -> true;
                case FREE -> false;
                case UNKNOWN -> null;
            };
            return new ApiJson.DeviceJson(state.id().toString(), device.kind(), device.vendor(), device.model(),
                    device.memoryMb(), device.index(), device.uuid(), busy);
        }).toList();
        List<ApiJson.RunningShardJson> running = !executor.reachable() ? null : executor.running().stream()
                .map(shard -> new ApiJson.RunningShardJson(shard.runId(), shard.shardIndex(), shard.jobName(), shard.attempt(),
                        shard.devices().stream().map(DeviceId::toString).toList(), shard.startedAt())).toList();
        return new ApiJson.ExecutorJson(card.id(), card.group(), card.address(), card.version(), card.slots(), card.labels(),
                devices, running, executor.reachable(), executor.error());
    }

    @Operation(summary = "The cluster", description = "the leader, the admins that are up, ZooKeeper, database and engine health")
    @GetMapping("/cluster")
    public ApiJson.ClusterJson cluster() {
        boolean zkUp = zookeeper.getZookeeperClient().isConnected();
        ApiJson.Health zk = new ApiJson.Health(zkUp ? "UP" : "DOWN", zkUp ? "connected" : "not connected");
        EngineHealth.Status status = engine.status();
        String state = switch (status.mode()) {
            case PAUSED -> "OUT_OF_SERVICE";
            case OVERLOADED -> "OVERLOADED";
            default -> "UP";
        };
        ApiJson.Health engineHealth = new ApiJson.Health(state, status.mode() + ": " + status.reason());
        ClusterOverview.Admins admins = overview.admins();
        return new ApiJson.ClusterJson(admins.leaderId(), admins.selfId(), admins.admins(), zk, databaseHealth(),
                engineHealth, overview.executorCount());
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
