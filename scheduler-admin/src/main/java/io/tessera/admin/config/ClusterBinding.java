package io.tessera.admin.config;

import io.tessera.admin.reconcile.RunNodes;
import io.tessera.admin.store.ClusterIdentityStore;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Binds the database to its ZooKeeper state at start-up, before the admin records a run or stands
 * for leadership. Run ids name ZooKeeper nodes, so a database that meets another incarnation's nodes
 * would take their finished attempts for its own new runs' and mark those SUCCEEDED without running
 * them. Two guards:
 * <ul>
 *   <li>A cluster id kept in both places ({@code cluster_identity}, {@link ZkLayout#CLUSTER_ID}). The
 *       first start creates it in both; a ZooKeeper without one (new, or wiped) gets the database's.
 *       ZooKeeper holding an id while the database holds none (a new database on an earlier
 *       cluster's ZooKeeper) or another one refuses the start, with what to do, unless
 *       {@code tessera.cluster.adopt-id} names ZooKeeper's id.</li>
 *   <li>Run ids continue above every run id with a node in ZooKeeper. The database restored from a
 *       backup has the same cluster id but ends at an earlier run; its next ids would be those of
 *       runs that ran after the backup, whose results ZooKeeper still holds.</li>
 * </ul>
 */
public final class ClusterBinding {

    private static final Logger log = LoggerFactory.getLogger(ClusterBinding.class);

    /**
     * Where the two halves are, as the messages name them.
     *
     * @param embeddedData the embedded ZooKeeper's data directory; null for an ensemble
     */
    public record Where(String zookeeper, String namespace, String database, java.nio.file.Path embeddedData) {
    }

    private final CuratorFramework zookeeper;
    private final ClusterIdentityStore store;
    private final String adoptId;
    private final Where where;
    private final Duration connectionTimeout;

    public ClusterBinding(CuratorFramework zookeeper, ClusterIdentityStore store, String adoptId, Where where,
                          Duration connectionTimeout) {
        this.zookeeper = zookeeper;
        this.store = store;
        this.adoptId = adoptId;
        this.where = where;
        this.connectionTimeout = connectionTimeout;
    }

    /**
     * @return the cluster id the database and ZooKeeper now both hold
     * @throws ClusterMismatchException when they belong to different clusters
     */
    public String bind() throws Exception {
        awaitZooKeeper();
        String clusterId = bindIdentity();
        continueRunIdsAboveZooKeeper();
        return clusterId;
    }

    private void awaitZooKeeper() throws InterruptedException {
        while (!zookeeper.getZookeeperClient().isConnected()
                && !zookeeper.blockUntilConnected(Math.toIntExact(connectionTimeout.toMillis()), TimeUnit.MILLISECONDS)) {
            log.warn("Waiting for ZooKeeper at {} before starting: this database's cluster id is checked against the one"
                    + " kept there (check tessera.zookeeper.connect)", where.zookeeper());
        }
    }

    private String bindIdentity() throws Exception {
        Optional<String> inDatabase = store.clusterId();
        Optional<String> inZooKeeper = readZooKeeper();
        if (inDatabase.isEmpty() && inZooKeeper.isPresent()) {
            if (!inZooKeeper.get().equals(adoptId)) {
                throw new ClusterMismatchException(newDatabaseOnOldState(inZooKeeper.get()));
            }
            log.warn("This database ({}) now belongs to cluster {}, whose state ZooKeeper holds (tessera.cluster.adopt-id)",
                    where.database(), adoptId);
            inDatabase = Optional.of(store.keep(adoptId));
        }
        String databaseId = inDatabase.isPresent() ? inDatabase.get() : store.keep(UUID.randomUUID().toString());
        String zooKeeperId = inZooKeeper.isPresent() ? inZooKeeper.get() : writeZooKeeper(databaseId);
        if (!zooKeeperId.equals(databaseId)) {
            if (!zooKeeperId.equals(adoptId)) {
                throw new ClusterMismatchException(otherCluster(databaseId, zooKeeperId));
            }
            store.replace(zooKeeperId);
            log.warn("This database ({}) belonged to cluster {} and now belongs to cluster {}, whose state ZooKeeper holds"
                    + " (tessera.cluster.adopt-id)", where.database(), databaseId, zooKeeperId);
            return zooKeeperId;
        }
        if (inDatabase.isEmpty()) {
            log.info("New cluster {}: its id is kept in this database and in ZooKeeper ({})", databaseId, zooKeeperPlace());
        }
        log.info("Cluster {}: database {} and ZooKeeper {} belong to it", databaseId, where.database(), zooKeeperPlace());
        return databaseId;
    }

    private Optional<String> readZooKeeper() throws Exception {
        try {
            return Optional.of(new String(zookeeper.getData().forPath(ZkLayout.CLUSTER_ID), StandardCharsets.UTF_8).trim());
        } catch (KeeperException.NoNodeException none) {
            return Optional.empty();
        }
    }

    /** Writes the database's id into a ZooKeeper that holds none; the id another admin wrote first wins. */
    private String writeZooKeeper(String clusterId) throws Exception {
        try {
            zookeeper.create().creatingParentsIfNeeded().forPath(ZkLayout.CLUSTER_ID, clusterId.getBytes(StandardCharsets.UTF_8));
            if (!highestRunIdInZooKeeper().isEmpty()) {
                log.warn("ZooKeeper ({}) held runs but no cluster id (written by a Tessera before cluster ids, or its {} was"
                        + " removed): it now holds this database's, {}", zooKeeperPlace(), ZkLayout.CLUSTER_ID, clusterId);
            } else {
                log.info("ZooKeeper ({}) held no cluster id (it is new or was cleared): it now holds this database's, {}",
                        zooKeeperPlace(), clusterId);
            }
            return clusterId;
        } catch (KeeperException.NodeExistsException writtenFirst) {
            return readZooKeeper().orElseThrow(() -> new IllegalStateException(
                    ZkLayout.CLUSTER_ID + " was created and removed again while this admin started; start it again"));
        }
    }

    private void continueRunIdsAboveZooKeeper() {
        Optional<Long> inZooKeeper = highestRunIdInZooKeeper();
        long inDatabase = store.highestRunId();
        if (inZooKeeper.isEmpty() || inZooKeeper.get() <= inDatabase) {
            return;
        }
        long next = inZooKeeper.get() + 1;
        store.continueRunIdsFrom(next);
        log.warn("This database's runs end at id {}, but ZooKeeper holds nodes of runs up to id {}: the database was"
                + " restored from a backup, or lost its latest runs. Runs after {} are not in it. New run ids continue from"
                + " {}, so that no new run meets the results of an earlier one", inDatabase, inZooKeeper.get(), inDatabase, next);
    }

    /** The highest run id with a node under {@link ZkLayout#RUNS}: the highest non-empty bucket's highest run. */
    private Optional<Long> highestRunIdInZooKeeper() {
        RunNodes nodes = new RunNodes(zookeeper);
        List<Long> buckets = nodes.buckets().join();
        for (int i = buckets.size() - 1; i >= 0; i--) {
            List<Long> runs = nodes.runsIn(buckets.get(i)).join();
            if (!runs.isEmpty()) {
                return Optional.of(runs.get(runs.size() - 1));
            }
        }
        return Optional.empty();
    }

    private String zooKeeperPlace() {
        return where.zookeeper() + ", namespace /" + where.namespace();
    }

    private String newDatabaseOnOldState(String zooKeeperId) {
        return "Refusing to start: ZooKeeper (" + zooKeeperPlace() + ") holds the state of Tessera cluster " + zooKeeperId
                + ", but this database (" + where.database() + ") belongs to no cluster: it is a new database. Run on"
                + " both, its new runs would be marked finished with the results of that cluster's earlier runs. Do one of:"
                + " point spring.datasource.url at cluster " + zooKeeperId + "'s database;"
                + " or, if that cluster is gone, stop its admins and agents and " + clearState() + ", or use another"
                + " tessera.zookeeper.namespace (agents need the same);"
                + " or, to make this database cluster " + zooKeeperId + "'s, set tessera.cluster.adopt-id=" + zooKeeperId;
    }

    private String otherCluster(String databaseId, String zooKeeperId) {
        return "Refusing to start: this database (" + where.database() + ") belongs to Tessera cluster " + databaseId
                + ", but ZooKeeper (" + zooKeeperPlace() + ") holds the state of cluster " + zooKeeperId + ". Do one of:"
                + " point spring.datasource.url, tessera.zookeeper.connect or tessera.zookeeper.namespace at the right"
                + " place; or, if cluster " + zooKeeperId + " is gone, stop its admins and agents and " + clearState()
                + ": this database's id is written there at the next start;"
                + " or, to make this database cluster " + zooKeeperId + "'s, set tessera.cluster.adopt-id=" + zooKeeperId;
    }

    /** How to clear the other cluster's ZooKeeper state: the embedded server keeps it in this admin's data directory. */
    private String clearState() {
        if (where.embeddedData() != null) {
            return "delete the embedded ZooKeeper's data (" + where.embeddedData() + ")";
        }
        return "clear its ZooKeeper state (zkCli.sh -server " + firstServer() + " deleteall " + namespacePath() + ")";
    }

    private String firstServer() {
        String servers = where.zookeeper();
        int chroot = servers.indexOf('/');
        return (chroot >= 0 ? servers.substring(0, chroot) : servers).split(",")[0];
    }

    /** The namespace's path as zkCli sees it: below the connect string's chroot, if it has one. */
    private String namespacePath() {
        String servers = where.zookeeper();
        int chroot = servers.indexOf('/');
        String root = chroot >= 0 ? servers.substring(chroot).replaceAll("/+$", "") : "";
        return root + "/" + where.namespace();
    }

    /** The database and ZooKeeper belong to different clusters: the admin must not start. */
    public static final class ClusterMismatchException extends IllegalStateException {
        public ClusterMismatchException(String message) {
            super(message);
        }
    }
}
