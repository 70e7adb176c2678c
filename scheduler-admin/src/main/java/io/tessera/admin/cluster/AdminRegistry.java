package io.tessera.admin.cluster;

import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.zk.AdminCard;
import io.tessera.core.zk.Cards;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This admin's ephemeral member node, kept alive across session expiry by Curator's
 * {@link PersistentNode}; and the list of admins that are up.
 */
public final class AdminRegistry implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(AdminRegistry.class);

    private final CuratorFramework zookeeper;
    private final PersistentNode node;
    /** Admin nodes whose card was refused, and why: each is logged once per reason, not at every listing. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    public AdminRegistry(CuratorFramework zookeeper, AdminCard card) {
        this.zookeeper = zookeeper;
        this.node = new PersistentNode(zookeeper, CreateMode.EPHEMERAL, false, ZkLayout.adminMember(card.id()),
                WireCodec.encode(card));
    }

    public void start() {
        node.start();
    }

    /** Replaces this admin's card, e.g. when its engine's state changed. */
    public void update(AdminCard card) {
        try {
            node.setData(WireCodec.encode(card));
        } catch (Exception e) {
            log.warn("Cannot update this admin's card: {}", e.toString());
        }
    }

    /** The admins whose member node exists now. */
    public List<AdminCard> admins() {
        List<AdminCard> admins = new ArrayList<>();
        try {
            if (zookeeper.checkExists().forPath(ZkLayout.ADMIN_MEMBERS) == null) {
                return admins;
            }
            for (String child : zookeeper.getChildren().forPath(ZkLayout.ADMIN_MEMBERS)) {
                try {
                    byte[] data = zookeeper.getData().forPath(ZKPaths.makePath(ZkLayout.ADMIN_MEMBERS, child));
                    admins.add(Cards.admin(data));
                } catch (org.apache.zookeeper.KeeperException.NoNodeException gone) {
                    // Left between listing and reading.
                } catch (WireFormatException | IllegalArgumentException bad) {
                    if (!String.valueOf(bad.getMessage()).equals(refused.put(child, String.valueOf(bad.getMessage())))) {
                        log.warn("Ignoring admin node {}: its card cannot be used ({})", child, bad.getMessage());
                    }
                }
            }
        } catch (Exception e) {
            log.warn("Cannot list admins: {}", e.toString());
        }
        return admins;
    }

    @Override
    public void close() throws IOException {
        node.close();
    }
}
