package io.tessera.executor.run;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When the agent last heard from ZooKeeper, as a lower bound: neither Curator nor ZooKeeper tell,
 * so {@link #ping()} sends a cheap {@code exists("/")} on the raw handle and, once it is answered,
 * records when it was SENT. The server refreshed the session no earlier than that, so it cannot
 * expire the session before that instant plus the negotiated session timeout.
 */
public final class ServerContact {

    private static final Logger log = LoggerFactory.getLogger(ServerContact.class);

    private final CuratorFramework client;
    private final LongSupplier nanoTime;
    private final AtomicLong lastNanos;
    private volatile long sessionTimeoutMillis;

    /**
     * @param connectingNanos {@link System#nanoTime()} taken before the client started connecting:
     *                        the first session was made after it
     * @param sessionTimeout  the timeout asked for, until the server's negotiated one is known
     */
    public ServerContact(CuratorFramework client, long connectingNanos, Duration sessionTimeout) {
        this(client, System::nanoTime, connectingNanos, sessionTimeout);
    }

    ServerContact(CuratorFramework client, LongSupplier nanoTime, long connectingNanos, Duration sessionTimeout) {
        this.client = client;
        this.nanoTime = nanoTime;
        this.lastNanos = new AtomicLong(connectingNanos);
        this.sessionTimeoutMillis = sessionTimeout.toMillis();
    }

    /** {@link System#nanoTime()} of the latest request the server is known to have received; a lower bound. */
    public long lastNanos() {
        return lastNanos.get();
    }

    /**
     * The session timeout the server granted (it may differ from the one asked for, within its
     * bounds), as of the latest answer.
     */
    public Duration sessionTimeout() {
        return Duration.ofMillis(sessionTimeoutMillis);
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** Asks the server for "/" on the current session; an answer moves the last contact to when it was sent. */
    public void ping() {
        ZooKeeper zk;
        try {
            zk = client.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            log.debug("no ZooKeeper handle to ping: {}", e.toString());
            return;
        }
        long sent = now();
        try {
            zk.exists("/", false, (rc, path, ctx, stat) -> {
                if (Code.get(rc) == Code.OK) {
                    sessionTimeoutMillis = zk.getSessionTimeout();
                    lastNanos.accumulateAndGet(sent, Math::max);
                }
            }, null);
        } catch (RuntimeException e) {
            log.debug("cannot ping ZooKeeper: {}", e.toString());
        }
    }
}
