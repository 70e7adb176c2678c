package io.tessera.admin.store;

import java.util.Optional;

/**
 * What binds this database to its ZooKeeper state: the cluster id kept in both, and where new run
 * ids continue, since run ids name ZooKeeper nodes.
 */
public interface ClusterIdentityStore {

    /** The cluster id this database belongs to; empty for a database that belongs to no cluster yet. */
    Optional<String> clusterId();

    /**
     * Stores {@code clusterId} unless the database already holds one.
     *
     * @return the id the database holds afterwards: this one, or the one another admin stored first
     */
    String keep(String clusterId);

    /** Makes this database belong to {@code clusterId} instead of the one it held (adoption). */
    void replace(String clusterId);

    /** The highest run id recorded; 0 when there is none. */
    long highestRunId();

    /** Makes the next run id at least {@code next}. */
    void continueRunIdsFrom(long next);
}
