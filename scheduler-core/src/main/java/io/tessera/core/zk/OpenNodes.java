package io.tessera.core.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Nodes under the namespace that were created before Tessera used ACLs (an upgrade), and so are open
 * to anyone: {@link #secure} gives every node the cluster's ACL. The namespace's own node is set
 * last, so its ACL says the whole tree was done; a start that finds it already secured skips the walk.
 */
public final class OpenNodes {

    private OpenNodes() {
    }

    /**
     * Sets {@code access.acl()} on every node under the client's namespace whose ACL differs, when the
     * namespace's node does not have it yet. Nodes that vanish meanwhile are skipped.
     *
     * @return how many nodes were changed; 0 when the namespace was already secured or does not exist
     * @throws KeeperException.NoAuthException when a node's ACL does not let these credentials change it
     */
    public static int secure(CuratorFramework client, ZkAccess access) throws Exception {
        List<ACL> wanted = access.acl();
        try {
            if (wanted.equals(aclOf(client, "/"))) {
                return 0;
            }
        } catch (KeeperException.NoNodeException fresh) {
            // No namespace yet: whatever is made from now on gets the ACL as it is created.
            return 0;
        }
        List<String> order = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.push("/");
        while (!pending.isEmpty()) {
            String path = pending.pop();
            order.add(path);
            try {
                for (String child : client.getChildren().forPath(path)) {
                    pending.push(ZKPaths.makePath(path, child));
                }
            } catch (KeeperException.NoNodeException gone) {
                // Removed while walking: nothing to secure.
            }
        }
        int changed = 0;
        // Deepest first: the namespace's node comes last.
        for (int i = order.size() - 1; i >= 0; i--) {
            String path = order.get(i);
            try {
                if (!wanted.equals(aclOf(client, path))) {
                    client.setACL().withACL(wanted).forPath(path);
                    changed++;
                }
            } catch (KeeperException.NoNodeException gone) {
                // Removed while walking.
            }
        }
        return changed;
    }

    private static List<ACL> aclOf(CuratorFramework client, String path) throws Exception {
        return client.getACL().forPath(path);
    }
}
