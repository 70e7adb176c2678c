package io.tessera.executor.run;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one policy for connection trouble. SUSPENDED: refuse new triggers and, if it lasts
 * longer than the grace, stop every held shard, since the claims may be someone else's by then.
 * LOST: stop every held shard at once. RECONNECTED/CONNECTED: accept triggers again.
 */
public final class ConnectionGuard implements ConnectionStateListener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Runnable stopAll;
    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private volatile boolean connected;
    private ScheduledFuture<?> graceTimer; // guarded by this

    /** @param stopAll stops every shard the agent holds; called on LOST and when the grace runs out */
    public ConnectionGuard(Runnable stopAll, ScheduledExecutorService scheduler, Duration grace, boolean connected) {
        this.stopAll = stopAll;
        this.scheduler = scheduler;
        this.grace = grace;
        this.connected = connected;
    }

    /** Whether new shards may be claimed now. */
    public boolean connected() {
        return connected;
    }

    @Override
    public synchronized void stateChanged(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                cancelGrace();
                connected = true;
                log.info("ZooKeeper connection {}: accepting triggers", state);
            }
            case SUSPENDED -> {
                connected = false;
                cancelGrace();
                log.warn("ZooKeeper connection SUSPENDED: refusing triggers; running shards stop in {} ms unless it comes back",
                        grace.toMillis());
                graceTimer = scheduler.schedule(this::graceExpired, grace.toMillis(), TimeUnit.MILLISECONDS);
            }
            case LOST -> {
                connected = false;
                cancelGrace();
                log.error("ZooKeeper session LOST: stopping every running shard");
                stopAll.run();
            }
            default -> {
                // READ_ONLY is not used: Tessera does not enable read-only mode
            }
        }
    }

    private synchronized void graceExpired() {
        if (!connected) {
            log.error("ZooKeeper connection SUSPENDED for longer than {} ms: stopping every running shard", grace.toMillis());
            stopAll.run();
        }
    }

    private void cancelGrace() {
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
    }
}
