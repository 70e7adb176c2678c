package io.tessera.executor.claim;

import io.tessera.core.zk.ZkLayout.AttemptPath;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Attempts whose claim got no answer (the connection dropped while it was on its way): the node may
 * exist, owned by this session, although the trigger was answered UNAVAILABLE. Left alone it would
 * block its attempt for as long as the session lives. So, once ZooKeeper answers again, each such
 * node that is ours is deleted, unless the agent holds its shard by then (a trigger sent again
 * adopts the node); when the session ends first, the node went with it.
 */
final class UncertainClaims {

    private static final Logger log = LoggerFactory.getLogger(UncertainClaims.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final SessionHandles handles;
    private final ScheduledExecutorService scheduler;
    private final Reservations reservations;
    private final Map<AttemptPath, Long> unsure = new ConcurrentHashMap<>();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();

    UncertainClaims(SessionHandles handles, ScheduledExecutorService scheduler, Reservations reservations) {
        this.handles = handles;
        this.scheduler = scheduler;
        this.reservations = reservations;
    }

    void add(AttemptPath attempt, long session) {
        unsure.put(attempt, session);
        scheduleSweep();
    }

    /** How many attempts wait to be settled. */
    int size() {
        return unsure.size();
    }

    private void scheduleSweep() {
        if (unsure.isEmpty() || !sweepScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(this::sweep, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            sweepScheduled.set(false);
            log.info("closing: {} claim(s) that got no answer expire with the session", unsure.size());
        }
    }

    private void sweep() {
        sweepScheduled.set(false);
        unsure.forEach(this::settle);
    }

    private void settle(AttemptPath attempt, long session) {
        ZooKeeper zk = handles.of(session);
        if (zk == null) {
            unsure.remove(attempt, session);
            return;
        }
        if (!reservations.tryReserve(attempt.runId(), attempt.shard())) {
            unsure.remove(attempt, session);
            return;
        }
        String path = handles.namespaced(attempt.path());
        zk.exists(path, false, (rc, p, ctx, stat) -> {
            Code code = Code.get(rc);
            if (code == Code.OK && stat.getEphemeralOwner() == session) {
                delete(zk, attempt, session, stat.getVersion());
                return;
            }
            reservations.unreserve(attempt.runId(), attempt.shard());
            if (unreachable(code)) {
                scheduleSweep();
            } else {
                unsure.remove(attempt, session);
            }
        }, null);
    }

    private void delete(ZooKeeper zk, AttemptPath attempt, long session, int version) {
        zk.delete(handles.namespaced(attempt.path()), version, (rc, p, ctx) -> {
            Code code = Code.get(rc);
            reservations.unreserve(attempt.runId(), attempt.shard());
            if (unreachable(code)) {
                scheduleSweep();
                return;
            }
            unsure.remove(attempt, session);
            if (code == Code.OK) {
                log.info("removed {}: a claim made while its trigger was answered UNAVAILABLE", attempt.path());
            } else if (code != Code.NONODE) {
                log.warn("cannot remove {}, a claim whose trigger was answered UNAVAILABLE: {}", attempt.path(), code);
            }
        }, null);
    }

    private static boolean unreachable(Code code) {
        return code == Code.CONNECTIONLOSS || code == Code.OPERATIONTIMEOUT;
    }
}
