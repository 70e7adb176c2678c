package io.tessera.admin.engine;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.placement.QueueQuota;
import io.tessera.core.placement.QuotaLimit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Devices in use per quota queue, counted as shards are placed and released, and the checks made
 * against each queue's quota. Confined to the engine thread.
 */
final class QuotaBook {

    private final Map<String, QueueQuota> quotas;
    private final Function<String, Optional<ExecutorCard>> cards;
    private final Map<String, Map<QuotaLimit, Integer>> used = new HashMap<>();
    /** What each holding shard counts, so that a release takes back exactly that, once. */
    private final Map<ActiveRun.Shard, Counted> counted = new HashMap<>();

    private record Counted(String queue, Map<QuotaLimit, Integer> devices) {
    }

    QuotaBook(Map<String, QueueQuota> quotas, Function<String, Optional<ExecutorCard>> cards) {
        this.quotas = Map.copyOf(quotas);
        this.cards = cards;
    }

    /** The queue's quota, when the job's runs count against one. */
    Optional<QueueQuota> quotaOf(JobDefinition job) {
        return job.hasQueue() ? Optional.ofNullable(quotas.get(job.queue())) : Optional.empty();
    }

    boolean any() {
        return !quotas.isEmpty();
    }

    void hold(ActiveRun run, ActiveRun.Shard shard) {
        Optional<QueueQuota> quota = quotaOf(run.job);
        if (quota.isEmpty() || shard.devices.isEmpty() || counted.containsKey(shard)) {
            return;
        }
        Map<QuotaLimit, Integer> devices = count(quota.get(), shard.executorId, shard.devices);
        if (!devices.isEmpty()) {
            counted.put(shard, new Counted(quota.get().queue(), devices));
            Map<QuotaLimit, Integer> queue = used.computeIfAbsent(quota.get().queue(), name -> new HashMap<>());
            devices.forEach((limit, n) -> queue.merge(limit, n, Integer::sum));
        }
    }

    void release(ActiveRun.Shard shard) {
        Counted gone = counted.remove(shard);
        if (gone != null) {
            Map<QuotaLimit, Integer> queue = used.get(gone.queue());
            gone.devices().forEach((limit, n) -> queue.computeIfPresent(limit, (key, was) -> was - n <= 0 ? null : was - n));
        }
    }

    int used(String queue, QuotaLimit limit) {
        return used.getOrDefault(queue, Map.of()).getOrDefault(limit, 0);
    }

    /**
     * The first limit that these devices, added to what the queue uses now, would pass, described
     * for the runs view ({@code quota team-a 8/8 GPU *H100*}); empty when they stay within the quota.
     */
    Optional<String> exceeded(QueueQuota quota, Map<QuotaLimit, Integer> adding) {
        for (Map.Entry<QuotaLimit, Integer> entry : adding.entrySet()) {
            QuotaLimit limit = entry.getKey();
            int now = used(quota.queue(), limit);
            if (now + entry.getValue() > limit.devices()) {
                return Optional.of(describe(quota.queue(), limit, now));
            }
        }
        return Optional.empty();
    }

    static String describe(String queue, QuotaLimit limit, int inUse) {
        return "quota " + queue + " " + inUse + "/" + limit.devices() + " " + limit.label();
    }

    /** How many devices of each of the quota's limits these devices (on that executor) are. */
    Map<QuotaLimit, Integer> count(QueueQuota quota, String executorId, List<DeviceId> devices) {
        Map<QuotaLimit, Integer> counts = new LinkedHashMap<>();
        Optional<ExecutorCard> card = cards.apply(executorId);
        for (DeviceId id : devices) {
            Optional<Device> device = card.flatMap(found -> found.devices().stream()
                    .filter(candidate -> DeviceId.of(candidate).equals(id)).findFirst());
            device.flatMap(quota::limitFor).ifPresent(limit -> counts.merge(limit, 1, Integer::sum));
        }
        return counts;
    }

    /** Limits of the queue that it uses beyond its quota now, with by how many devices. */
    Map<QuotaLimit, Integer> overBy(String queue) {
        QueueQuota quota = quotas.get(queue);
        Map<QuotaLimit, Integer> over = new HashMap<>();
        if (quota != null) {
            for (QuotaLimit limit : quota.limits()) {
                int excess = used(queue, limit) - limit.devices();
                if (excess > 0) {
                    over.put(limit, excess);
                }
            }
        }
        return over;
    }

    /** What a shard counts against its queue's quota now: empty when it counts against none. */
    Map<QuotaLimit, Integer> countedFor(ActiveRun.Shard shard) {
        Counted found = counted.get(shard);
        return found == null ? Map.of() : found.devices();
    }

    /** Every configured queue's limits and what it uses of each, for the API and the UI. */
    List<QueueUsage> usage() {
        List<QueueUsage> all = new ArrayList<>();
        quotas.values().stream().sorted(java.util.Comparator.comparing(QueueQuota::queue)).forEach(quota -> {
            List<QueueUsage.Limit> limits = quota.limits().stream()
                    .map(limit -> new QueueUsage.Limit(limit.kind(), limit.modelPattern(), limit.devices(), used(quota.queue(), limit)))
                    .toList();
            all.add(new QueueUsage(quota.queue(), quota.borrowing(), limits));
        });
        return all;
    }
}
