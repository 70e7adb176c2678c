package io.tessera.admin.engine;

import java.util.List;

/**
 * A quota queue as the leader counts it now.
 *
 * @param borrowing whether the queue may use idle devices beyond its quota (given back by preemption)
 */
public record QueueUsage(String queue, boolean borrowing, List<Limit> limits) {

    public QueueUsage {
        limits = List.copyOf(limits);
    }

    /**
     * @param model  the model glob, or null for any model of the kind
     * @param inUse  devices of this limit the queue's running shards hold; above {@code quota} while it borrows
     */
    public record Limit(String kind, String model, int quota, int inUse) {

        public int borrowed() {
            return Math.max(0, inUse - quota);
        }
    }
}
