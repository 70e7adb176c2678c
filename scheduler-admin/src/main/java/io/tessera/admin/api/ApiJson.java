package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import io.tessera.core.model.RunStatus;
import io.tessera.core.zk.AdminCard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The API's smaller request and response bodies. */
public final class ApiJson {

    private ApiJson() {
    }

    /** @param params overrides the job's params for this run; left out or null for the job's own */
    public record TriggerBody(@Schema(example = "--epochs 3") String params) {
    }

    public record Triggered(long runId, long jobId, RunStatus status) {
    }

    public record Cancelled(long runId, RunStatus status) {
    }

    public record LogJson(long runId, int shard, String executorId, long offset, long nextOffset, String text,
                          boolean complete) {
    }

    /** @param busy whether a running shard holds it now; null when the executor did not say */
    public record DeviceJson(String id, String kind, String vendor, String model, long memoryMb, int index, String uuid,
                             Boolean busy) {
    }

    public record RunningShardJson(long runId, int shard, String jobName, int attempt, List<String> devices,
                                   Instant startedAt) {
    }

    /**
     * @param reachable whether the executor answered its status request; when false {@code devices[].busy}
     *                  and {@code runningShards} are unknown (null)
     */
    public record ExecutorJson(String id, String group, String address, String version, int slots,
                               Map<String, String> labels, List<DeviceJson> devices, List<RunningShardJson> runningShards,
                               boolean reachable, String error) {
    }

    public record Health(String status, String detail) {
    }

    public record ClusterJson(String leader, String self, List<AdminCard> admins, Health zookeeper, Health database,
                              Health engine, int executors) {
    }

    public record NewToken(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ci-pipeline") String name,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Role role) {
    }

    /** @param token the secret, shown this once; only its hash is stored */
    public record CreatedToken(long id, String name, Role role, String token, Instant createdAt) {
    }

    public record TokenJson(long id, String name, Role role, String createdBy, Instant createdAt, Instant lastUsedAt,
                            Instant revokedAt) {
        static TokenJson of(ApiTokenStore.ApiToken token) {
            return new TokenJson(token.id(), token.name(), token.role(), token.createdBy(), token.createdAt(),
                    token.lastUsedAt(), token.revokedAt());
        }
    }
}
