package io.tessera.admin.engine;

import io.tessera.core.placement.PlacementStrategy;

import java.time.Duration;
import java.util.Objects;

/**
 * What the engine needs to know, as plain values (the admin's properties map onto it).
 *
 * @param lookAhead            scheduled fires are recorded this far ahead, then fired from memory on time
 * @param planInterval         how often fires entering the look-ahead are recorded
 * @param misfireThreshold     a fire later than this counts as missed and follows the job's misfire policy
 * @param catchUpLimit         at most this many missed fires are fired under CATCH_UP
 * @param placement            how shards that need devices are placed
 * @param dispatchTimeout      how long a trigger may take to be answered
 * @param dispatchLead         scheduled shards are placed and sent this long before their fire time; the
 *                             executor claims at once and starts the handler on time
 * @param dispatchLeadPerShard and this much longer for each shard that fires at the same instant
 * @param maxBatchesInFlight   trigger batches one executor may have unanswered at once
 * @param finishedRunRetention ZooKeeper nodes of finished runs are removed this long after the database has them
 * @param reconcileInterval    how often the leader compares memory, database and ZooKeeper
 * @param retryBackoff         the first retry waits this long, each further one twice as long (at most 60 s)
 * @param rendezvousBasePort   first port allotted to distributed runs as MASTER_PORT
 * @param rendezvousPortCount  how many ports from the base may be allotted
 * @param quotas               the device quotas of the queues jobs name; a queue not here is not limited
 */
public record EngineSettings(Duration lookAhead, Duration planInterval, Duration misfireThreshold, int catchUpLimit,
                             PlacementStrategy placement, Duration dispatchTimeout, Duration dispatchLead,
                             Duration dispatchLeadPerShard, int maxBatchesInFlight, Duration finishedRunRetention,
                             Duration reconcileInterval, Duration retryBackoff, int rendezvousBasePort, int rendezvousPortCount,
                             java.util.List<io.tessera.core.placement.QueueQuota> quotas) {

    public EngineSettings {
        Objects.requireNonNull(lookAhead, "lookAhead");
        Objects.requireNonNull(planInterval, "planInterval");
        Objects.requireNonNull(misfireThreshold, "misfireThreshold");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(dispatchTimeout, "dispatchTimeout");
        Objects.requireNonNull(dispatchLead, "dispatchLead");
        Objects.requireNonNull(dispatchLeadPerShard, "dispatchLeadPerShard");
        if (dispatchLead.isNegative() || dispatchLead.compareTo(lookAhead) >= 0) {
            throw new IllegalArgumentException("dispatchLead must be at least 0 and shorter than lookAhead");
        }
        if (maxBatchesInFlight < 1) {
            throw new IllegalArgumentException("maxBatchesInFlight must be at least 1");
        }
        Objects.requireNonNull(finishedRunRetention, "finishedRunRetention");
        Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (catchUpLimit < 0) {
            throw new IllegalArgumentException("catchUpLimit must not be negative");
        }
        quotas = quotas == null ? java.util.List.of() : java.util.List.copyOf(quotas);
        if (rendezvousPortCount < 1 || rendezvousBasePort < 1 || rendezvousBasePort + rendezvousPortCount > 65536) {
            throw new IllegalArgumentException("rendezvous ports must lie within 1-65535");
        }
    }

    /** Defaults that work on a laptop. */
    public static EngineSettings defaults() {
        return new EngineSettings(Duration.ofMillis(2500), Duration.ofMillis(50), Duration.ofSeconds(5), 100, PlacementStrategy.PACK,
                Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofNanos(100_000), 2, Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(1), 29500, 500, java.util.List.of());
    }

    /**
     * How long before their fire time a burst of {@code shards} shards is placed and sent: the lead,
     * plus a little per shard, but always leaving a tick of the look-ahead so the burst is recorded first.
     */
    Duration leadFor(int shards) {
        Duration lead = dispatchLead.plus(dispatchLeadPerShard.multipliedBy(shards));
        Duration cap = lookAhead.minus(planInterval).minus(planInterval);
        return lead.compareTo(cap) > 0 ? (cap.compareTo(dispatchLead) > 0 ? cap : dispatchLead) : lead;
    }
}
