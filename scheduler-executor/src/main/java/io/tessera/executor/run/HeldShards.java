package io.tessera.executor.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shards a runner holds, by key and by job and run, so that admitting a shard of a burst costs
 * the same whether ten or a thousand are held. Not thread-safe: the runner's lock guards it.
 */
final class HeldShards {

    private final Map<ShardKey, ShardExecution> byKey = new LinkedHashMap<>();
    private final Map<Long, Map<Long, Set<ShardExecution>>> byJobAndRun = new HashMap<>();

    int size() {
        return byKey.size();
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    ShardExecution get(ShardKey key) {
        return byKey.get(key);
    }

    boolean contains(ShardKey key) {
        return byKey.containsKey(key);
    }

    Collection<ShardExecution> all() {
        return Collections.unmodifiableCollection(byKey.values());
    }

    void add(ShardExecution execution) {
        byKey.put(execution.key, execution);
        byJobAndRun.computeIfAbsent(execution.trigger.jobId(), job -> new LinkedHashMap<>())
                .computeIfAbsent(execution.key.runId(), run -> new LinkedHashSet<>()).add(execution);
    }

    /** Removes this execution (not another one of the same key); false when it was not held. */
    boolean remove(ShardExecution execution) {
        if (!byKey.remove(execution.key, execution)) {
            return false;
        }
        Map<Long, Set<ShardExecution>> runs = byJobAndRun.get(execution.trigger.jobId());
        Set<ShardExecution> shards = runs.get(execution.key.runId());
        shards.remove(execution);
        if (shards.isEmpty()) {
            runs.remove(execution.key.runId());
            if (runs.isEmpty()) {
                byJobAndRun.remove(execution.trigger.jobId());
            }
        }
        return true;
    }

    /** Whether a shard of this run left the SERIAL queue: it waits for its time, runs or finishes. */
    boolean runStarted(long jobId, long runId) {
        Set<ShardExecution> shards = byJobAndRun.getOrDefault(jobId, Map.of()).get(runId);
        return shards != null && shards.stream().anyMatch(e -> e.state() != ShardExecution.State.QUEUED);
    }

    /** Whether a shard of any run of the job left the SERIAL queue. */
    boolean jobStarted(long jobId) {
        return byJobAndRun.getOrDefault(jobId, Map.of()).values().stream()
                .flatMap(Set::stream).anyMatch(e -> e.state() != ShardExecution.State.QUEUED);
    }

    /** A run of the job other than {@code runId} that has shards here. */
    Optional<Long> anotherRun(long jobId, long runId) {
        return byJobAndRun.getOrDefault(jobId, Map.of()).keySet().stream().filter(run -> run != runId).findFirst();
    }

    /** The shards of the job's runs other than {@code runId}. */
    List<ShardExecution> ofOtherRuns(long jobId, long runId) {
        List<ShardExecution> others = new ArrayList<>();
        byJobAndRun.getOrDefault(jobId, Map.of()).forEach((run, shards) -> {
            if (run != runId) {
                others.addAll(shards);
            }
        });
        return others;
    }
}
