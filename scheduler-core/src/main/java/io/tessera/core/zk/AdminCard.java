package io.tessera.core.zk;

import java.time.Instant;

/**
 * The data of an {@code /admins/members/{id}} node: an admin that is up, where its API answers, and
 * what its scheduling engine is doing (so that every admin's UI shows the leader's state).
 *
 * @param engine       the engine's mode: FOLLOWER, SCHEDULING, OVERLOADED or PAUSED; null from older admins
 * @param engineReason why, in a sentence (for OVERLOADED: the queue depths); null from older admins
 */
public record AdminCard(String id, String url, String version, Instant startedAt, String engine, String engineReason) {

    /** An admin that has just come up and does not lead. */
    public AdminCard(String id, String url, String version, Instant startedAt) {
        this(id, url, version, startedAt, "FOLLOWER", "not the leader");
    }

    /** The same admin, its engine now in this mode. */
    public AdminCard withEngine(String mode, String reason) {
        return new AdminCard(id, url, version, startedAt, mode, reason);
    }
}
