package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.engine.QueueUsage;
import io.tessera.admin.engine.SchedulingEngine;
import io.tessera.core.placement.QueueQuota;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The quota queues ({@code tessera.quotas.*}) and what each uses now. Only the leader counts use:
 * another admin shows the quotas with {@code inUse} null.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "cluster")
public class QuotasController {

    private final SchedulingEngine engine;

    public QuotasController(SchedulingEngine engine) {
        this.engine = engine;
    }

    /**
     * @param counted whether this admin leads and so counted {@code inUse}
     */
    public record QuotasJson(boolean counted, List<QueueJson> queues) {
    }

    /** @param borrowing whether the queue may use idle devices beyond its quota */
    public record QueueJson(String queue, boolean borrowing, List<LimitJson> limits) {
    }

    /**
     * @param model    the model glob, or null for any model of the kind
     * @param inUse    devices the queue's running shards hold, null where this admin does not lead
     * @param borrowed devices in use beyond the quota (given back by preemption when another queue needs them)
     */
    public record LimitJson(String kind, String model, int quota, Integer inUse, Integer borrowed) {
    }

    @Operation(summary = "Quota queues", description = "each queue's device limits and, on the leader, the devices it uses now")
    @GetMapping("/quotas")
    public QuotasJson quotas() throws Exception {
        Optional<List<QueueUsage>> usage = engine.quotaUsage().get(10, TimeUnit.SECONDS);
        if (usage.isPresent()) {
            return new QuotasJson(true, usage.get().stream().map(queue -> new QueueJson(queue.queue(), queue.borrowing(),
                    queue.limits().stream().map(limit -> new LimitJson(limit.kind(), limit.model(), limit.quota(), limit.inUse(),
                            limit.borrowed())).toList())).toList());
        }
        Map<String, QueueQuota> configured = engine.quotas().stream().collect(Collectors.toMap(QueueQuota::queue, Function.identity()));
        return new QuotasJson(false, configured.values().stream()
                .sorted(java.util.Comparator.comparing(QueueQuota::queue))
                .map(quota -> new QueueJson(quota.queue(), quota.borrowing(), quota.limits().stream()
                        .map(limit -> new LimitJson(limit.kind(), limit.modelPattern(), limit.devices(), null, null)).toList()))
                .toList());
    }
}
