package io.tessera.executor.claim;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The raw ZooKeeper handle of one session, and paths in the client's namespace. Claims and their
 * completions go straight to the handle, not through Curator's retries, so that a request is never
 * sent on a session other than the one it was meant for.
 */
final class SessionHandles {

    private static final Logger log = LoggerFactory.getLogger(SessionHandles.class);

    private final CuratorFramework client;
    private final List<ACL> acl;

    /** @param acl what every node made through these handles gets; Curator's ACL provider does not see them */
    SessionHandles(CuratorFramework client, List<ACL> acl) {
        this.client = client;
        this.acl = List.copyOf(acl);
        if (this.acl.isEmpty()) {
            throw new IllegalArgumentException("an ACL needs at least one entry");
        }
    }

    /** The ACL of every node created on these handles (the cluster's: see {@link io.tessera.core.zk.ZkAccess}). */
    List<ACL> acl() {
        return acl;
    }

    /** The current session's id, or 0 when there is no usable session. */
    long currentId() {
        ZooKeeper zk = current();
        return zk == null ? 0 : zk.getSessionId();
    }

    /** The handle when the current session is {@code session}, else null. */
    ZooKeeper of(long session) {
        ZooKeeper zk = session == 0 ? null : current();
        return zk != null && zk.getSessionId() == session ? zk : null;
    }

    String namespaced(String path) {
        return ZKPaths.fixForNamespace(client.getNamespace(), path);
    }

    /** The namespace's own node, or null without a namespace. */
    String namespaceRoot() {
        String namespace = client.getNamespace();
        return namespace == null || namespace.isEmpty() ? null : ZKPaths.makePath("/", namespace);
    }

    /** The current session's handle, or null when there is none. */
    ZooKeeper current() {
        try {
            return client.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            log.debug("no usable ZooKeeper session: {}", e.toString());
            return null;
        }
    }
}
