package io.tessera.executor.run;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's one policy for connection trouble (DESIGN.md, "zombie" and "ZooKeeper unreachable").
 *
 * <p>The server expires a session once it has heard nothing from it for the session timeout; from
 * then on the leader may give the agent's shards to someone else. So the agent stops every held
 * shard before that can happen: at the last contact with the server ({@link ServerContact}) plus
 * the negotiated session timeout, less the time a stop may take (the kill grace of a process tree,
 * and this guard's own tick). It counts from the last contact, not from SUSPENDED, which ZooKeeper
 * reports only after two thirds of the timeout without an answer; an agent that was frozen
 * (SIGSTOP, a long pause) finds its deadline passed on its first tick and stops at once.
 *
 * <p>Until the deadline running handlers go on, and their results wait. SUSPENDED refuses new
 * triggers; LOST stops every held shard at once; CONNECTED/RECONNECTED accept triggers again.
 */
public final class ConnectionGuard implements ConnectionStateListener, Closeable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Runnable stopAll;
    private final ServerContact contact;
    private final Duration stopTime;
    private final Duration tick;
    private final Duration pingInterval;
    private volatile boolean connected;
    /** The last contact whose deadline already stopped the shards; guarded by this. */
    private long stoppedForContact = Long.MIN_VALUE;
    private final AtomicLong warnedForTimeout = new AtomicLong();
    private ScheduledFuture<?> ticks;
    private ScheduledFuture<?> pings;

    /**
     * @param stopAll  stops every shard the agent holds
     * @param stopTime how long stopping a shard may take: its handler's process tree gets the kill grace
     */
    public ConnectionGuard(Runnable stopAll, ServerContact contact, Duration stopTime, boolean connected) {
        this.stopAll = stopAll;
        this.contact = contact;
        this.stopTime = stopTime;
        this.connected = connected;
        Duration timeout = contact.sessionTimeout();
        this.tick = clamp(timeout.dividedBy(20), Duration.ofMillis(20), Duration.ofMillis(500));
        this.pingInterval = clamp(timeout.dividedBy(10), Duration.ofMillis(50), Duration.ofSeconds(3));
    }

    /** Starts pinging ZooKeeper and checking the deadline. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        pings = scheduler.scheduleWithFixedDelay(contact::ping, 0, pingInterval.toMillis(), TimeUnit.MILLISECONDS);
        ticks = scheduler.scheduleWithFixedDelay(this::checkDeadline, tick.toMillis(), tick.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Whether new shards may be claimed now: connected, and the deadline of the last contact not passed. */
    public boolean connected() {
        return connected && !pastDeadline();
    }

    /**
     * Whether the deadline of the last contact has passed: the claims may be someone else's now, so
     * a handler that returns now counts as stopped, not finished.
     */
    public boolean pastDeadline() {
        return contact.now() - deadlineNanos() >= 0;
    }

    /**
     * {@link System#nanoTime()} by which every held shard has begun to stop: the session cannot
     * expire on the server before the last contact plus its timeout, and the stop must be complete by then.
     */
    long deadlineNanos() {
        return contact.lastNanos() + contact.sessionTimeout().toNanos() - stopAhead().toNanos();
    }

    /**
     * How long before the session could expire the stop begins: the time a stop may take plus two
     * ticks (one for the tick that notices, one for the timer being late), at most a third of the
     * timeout: ZooKeeper's own client calls a connection silent for less than two thirds of the
     * timeout healthy, and stopping earlier would stop shards on ordinary hiccups.
     */
    Duration stopAhead() {
        Duration timeout = contact.sessionTimeout();
        Duration wanted = stopTime.plus(tick.multipliedBy(2));
        Duration most = timeout.dividedBy(3);
        if (wanted.compareTo(most) <= 0) {
            return wanted;
        }
        warnOnce(timeout, wanted, most);
        return most;
    }

    /** Not synchronized: {@link #connected()} is called under the runner's lock, which a stop takes after this one. */
    private void warnOnce(Duration timeout, Duration wanted, Duration most) {
        if (warnedForTimeout.getAndSet(timeout.toMillis()) != timeout.toMillis()) {
            log.warn("The kill grace ({} ms) is long for the ZooKeeper session timeout ({} ms): when ZooKeeper is out of"
                            + " reach, a stopped shard's process tree may outlive the session by up to {} ms, and the shard may"
                            + " run elsewhere meanwhile. Lower the kill grace below a third of the session timeout, or raise the"
                            + " timeout", stopTime.toMillis(), timeout.toMillis(), wanted.minus(most).toMillis());
        }
    }

    private synchronized void checkDeadline() {
        try {
            long last = contact.lastNanos();
            if (last == stoppedForContact || !pastDeadline()) {
                return;
            }
            stoppedForContact = last;
            log.error("No answer from ZooKeeper for {} ms: the session (timeout {} ms) may expire before a stop could"
                            + " finish, and the shards be given to another executor. Stopping every running shard",
                    TimeUnit.NANOSECONDS.toMillis(contact.now() - last), contact.sessionTimeout().toMillis());
            stopAll.run();
        } catch (RuntimeException e) {
            log.error("checking the ZooKeeper deadline failed; the next tick tries again", e);
        }
    }

    @Override
    public synchronized void stateChanged(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                connected = true;
                contact.ping();
                log.info("ZooKeeper connection {}: accepting triggers", state);
            }
            case SUSPENDED -> {
                connected = false;
                log.warn("ZooKeeper connection SUSPENDED: refusing triggers; running shards stop {} ms after the last"
                        + " answer from ZooKeeper unless it comes back", Math.max(0, TimeUnit.NANOSECONDS.toMillis(
                        deadlineNanos() - contact.lastNanos())));
            }
            case LOST -> {
                connected = false;
                log.error("ZooKeeper session LOST: stopping every running shard");
                stopAll.run();
            }
            default -> {
                // READ_ONLY is not used: Tessera does not enable read-only mode
            }
        }
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.cancel(false);
            pings.cancel(false);
        }
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }
}
