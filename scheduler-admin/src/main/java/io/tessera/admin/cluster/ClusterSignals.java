package io.tessera.admin.cluster;

import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Nudges between admins: any admin that changes a job or records a trigger or a result bumps a
 * signal node; the leader watches them and looks at the database at once instead of polling it.
 * A lost nudge costs only latency: the leader also reconciles periodically.
 */
public final class ClusterSignals implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ClusterSignals.class);

    private final CuratorFramework zookeeper;
    private final AtomicReference<CuratorCache> watch = new AtomicReference<>();

    public ClusterSignals(CuratorFramework zookeeper) {
        this.zookeeper = zookeeper;
    }

    public void jobsChanged() {
        bump(ZkLayout.SIGNAL_JOBS);
    }

    public void runsChanged() {
        bump(ZkLayout.SIGNAL_RUNS);
    }

    private void bump(String path) {
        byte[] stamp = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
        try {
            zookeeper.setData().inBackground((client, event) -> {
                if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    createSignal(path, stamp);
                } else if (event.getResultCode() != 0) {
                    log.warn("Could not bump {}: {}", path, KeeperException.Code.get(event.getResultCode()));
                }
            }).forPath(path, stamp);
        } catch (Exception e) {
            log.warn("Could not bump {}: {}", path, e.toString());
        }
    }

    private void createSignal(String path, byte[] stamp) {
        try {
            zookeeper.create().creatingParentsIfNeeded().inBackground((client, event) -> {
                int code = event.getResultCode();
                if (code == KeeperException.Code.NODEEXISTS.intValue()) {
                    bump(path);
                } else if (code != 0) {
                    log.warn("Could not create {}: {}", path, KeeperException.Code.get(code));
                }
            }).forPath(path, stamp);
        } catch (Exception e) {
            log.warn("Could not create {}: {}", path, e.toString());
        }
    }

    /** Starts watching; at most one watch. Callbacks run on Curator's event thread. */
    public void watch(Runnable onJobs, Runnable onRuns) {
        CuratorCache cache = CuratorCache.build(zookeeper, ZkLayout.SIGNALS);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, node) -> {
                    if (node.getPath().equals(ZkLayout.SIGNAL_JOBS)) {
                        onJobs.run();
                    } else if (node.getPath().equals(ZkLayout.SIGNAL_RUNS)) {
                        onRuns.run();
                    }
                })
                .build());
        if (watch.compareAndSet(null, cache)) {
            cache.start();
        } else {
            throw new IllegalStateException("already watching");
        }
    }

    public void unwatch() {
        CuratorCache cache = watch.getAndSet(null);
        if (cache != null) {
            cache.close();
        }
    }

    @Override
    public void close() {
        unwatch();
    }
}
