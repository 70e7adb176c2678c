package io.tessera.executor.report;

import io.tessera.core.wire.WireFormatException;
import io.tessera.core.zk.Cards;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admins that are up now, as their member nodes in ZooKeeper say: where a result can go when
 * the admin that dispatched the shard is gone. Read on demand, only when a report has failed. A card
 * that is not valid (see {@link Cards}) is skipped and logged.
 */
public final class LiveAdmins implements Supplier<List<URI>> {

    private static final Logger log = LoggerFactory.getLogger(LiveAdmins.class);

    private final CuratorFramework zookeeper;

    public LiveAdmins(CuratorFramework zookeeper) {
        this.zookeeper = zookeeper;
    }

    @Override
    public List<URI> get() {
        List<URI> urls = new ArrayList<>();
        try {
            for (String child : zookeeper.getChildren().forPath(ZkLayout.ADMIN_MEMBERS)) {
                try {
                    byte[] data = zookeeper.getData().forPath(ZKPaths.makePath(ZkLayout.ADMIN_MEMBERS, child));
                    urls.add(URI.create(Cards.admin(data).url()));
                } catch (KeeperException.NoNodeException gone) {
                    // That admin left between listing and reading.
                } catch (WireFormatException | IllegalArgumentException bad) {
                    // Results and their signatures never go where a card nobody can vouch for points.
                    log.warn("Ignoring admin node {}: its card cannot be used ({}); no result is sent there", child,
                            bad.getMessage());
                }
            }
        } catch (KeeperException.NoNodeException none) {
            // No admin has registered.
        } catch (Exception e) {
            log.debug("cannot list the live admins: {}", e.toString());
        }
        return urls;
    }
}
