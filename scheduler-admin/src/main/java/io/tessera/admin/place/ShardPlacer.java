package io.tessera.admin.place;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.placement.ClusterSnapshot;
import io.tessera.core.placement.PlacementRequest;
import io.tessera.core.placement.PlacementResult;
import io.tessera.core.placement.PlacementStrategy;
import io.tessera.core.placement.Placer;
import io.tessera.core.placement.ShardPlacement;

import java.util.Collection;
import java.util.List;

/**
 * One placement decision against the live executors and what the ledger says is in use; what it
 * places is held in the ledger at once, so the next decision of the same pass sees it. Confined to
 * the engine thread.
 */
public final class ShardPlacer {

    private final ExecutorDirectory directory;
    private final DeviceLedger ledger;
    private final PlacementStrategy strategy;

    public ShardPlacer(ExecutorDirectory directory, DeviceLedger ledger, PlacementStrategy strategy) {
        this.directory = directory;
        this.ledger = ledger;
        this.strategy = strategy;
    }

    /**
     * Places these shards of one run of {@code job}, avoiding the executors in {@code avoid} (they
     * refused the shards lately).
     *
     * @param sequence the job's placement counter, for round-robin and random routing
     */
    public PlacementResult place(JobDefinition job, List<Integer> shards, Collection<String> avoid, long sequence) {
        PlacementResult result = Placer.place(request(job, shards, sequence), snapshot(job.group(), avoid));
        for (ShardPlacement placement : result.placed()) {
            ledger.hold(placement.executorId(), placement.devices());
        }
        return result;
    }

    /** The request {@link #place} makes for these shards. */
    public PlacementRequest request(JobDefinition job, List<Integer> shards, long sequence) {
        return new PlacementRequest(job.group(), shards, job.accelerators(), job.gang(), job.routing(), strategy, job.name(),
                sequence);
    }

    /** The group's live executors less {@code avoid}, with what the ledger says is in use. */
    public ClusterSnapshot snapshot(String group, Collection<String> avoid) {
        List<ExecutorCard> cards = directory.group(group);
        if (!avoid.isEmpty()) {
            cards = cards.stream().filter(card -> !avoid.contains(card.id())).toList();
        }
        return new ClusterSnapshot(cards, ledger.busy(), ledger.running());
    }

    public DeviceLedger ledger() {
        return ledger;
    }
}
