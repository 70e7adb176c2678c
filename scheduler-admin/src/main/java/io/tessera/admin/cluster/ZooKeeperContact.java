package io.tessera.admin.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When this admin last heard from ZooKeeper, from a cheap ping of its own ({@code exists("/")}) a
 * tenth of the session timeout apart: the time an answered ping was sent. Once longer than the
 * session timeout has passed since then, the server may have expired the session and another admin
 * may lead. Curator only learns that when its connection thread runs again, which after a freeze
 * (a stopped process, a long pause) can be hundreds of milliseconds after everything else resumed.
 */
public final class ZooKeeperContact implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperContact.class);
    static final long MIN_PING_MILLIS = 50;
    static final long MAX_PING_MILLIS = 500;

    private final CuratorFramework zookeeper;
    private final ScheduledExecutorService pinger;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastContactNanos = System.nanoTime();
    private volatile long grantedTimeoutMillis;

    public ZooKeeperContact(CuratorFramework zookeeper) {
        this.zookeeper = zookeeper;
        this.pinger = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tessera-zk-contact");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts pinging (a tenth of the session timeout apart, between 50 and 500 ms), and runs
     * {@code watch} every 50 ms on the same thread.
     */
    public void start(Runnable watch) {
        long every = Math.min(MAX_PING_MILLIS, Math.max(MIN_PING_MILLIS, sessionTimeoutMillis() / 10));
        lastContactNanos = System.nanoTime();
        pinger.scheduleWithFixedDelay(this::ping, 0, every, TimeUnit.MILLISECONDS);
        pinger.scheduleWithFixedDelay(() -> {
            try {
                watch.run();
            } catch (RuntimeException e) {
                log.error("Watching the contact with ZooKeeper failed; watching goes on", e);
            }
        }, MIN_PING_MILLIS, MIN_PING_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void ping() {
        long sentAt = System.nanoTime();
        try {
            ZooKeeper handle = zookeeper.getZookeeperClient().getZooKeeper();
            handle.exists("/", false, (rc, path, ctx, stat) -> {
                Code code = Code.get(rc);
                if (code == Code.OK || code == Code.NONODE) {
                    if (sentAt - lastContactNanos > 0) {
                        lastContactNanos = sentAt;
                    }
                    int granted = handle.getSessionTimeout();
                    if (granted > 0) {
                        grantedTimeoutMillis = granted;
                    }
                }
            }, null);
        } catch (Exception e) {
            // Not connected now: no contact, which is what the next check sees.
            log.debug("Cannot ping ZooKeeper now: {}", e.toString());
        }
    }

    /** How long since the last ping ZooKeeper answered was sent. */
    public long silentMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastContactNanos);
    }

    /** The session timeout the server granted; 0 while no session was ever established. */
    public long sessionTimeoutMillis() {
        if (grantedTimeoutMillis == 0) {
            try {
                grantedTimeoutMillis = Math.max(0, zookeeper.getZookeeperClient().getZooKeeper().getSessionTimeout());
            } catch (Exception e) {
                log.debug("No ZooKeeper handle yet: {}", e.toString());
            }
        }
        return grantedTimeoutMillis;
    }

    /** Whether the session cannot have expired yet for want of contact (true while its timeout is unknown). */
    public boolean withinSession() {
        long timeout = sessionTimeoutMillis();
        return timeout == 0 || silentMillis() < timeout;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pinger.shutdownNow();
        }
    }
}
