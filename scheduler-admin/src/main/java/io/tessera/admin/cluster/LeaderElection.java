package io.tessera.admin.cluster;

import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Leader election among admins through Curator's {@link LeaderLatch}. With Curator's standard
 * connection-state policy a SUSPENDED connection already counts as lost leadership, so the engine
 * stops scheduling before the session is even gone. Callbacks run one at a time on a dedicated
 * thread, so "start engine" and "stop engine" never overlap.
 */
public final class LeaderElection implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** What the admin does when it gains or loses leadership. */
    public interface Leadership {
        void gained();

        /**
         * @param withinSession whether this admin has heard from ZooKeeper within the session timeout:
         *                      a leader does nothing once it has not, for its session may have expired
         */
        default void gained(BooleanSupplier withinSession) {
            gained();
        }

        void lost();
    }

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final LeaderLatch latch;
    private final String adminId;
    private final Leadership leadership;
    private final ZooKeeperContact contact;
    /** Whether this admin leads as far as its engine knows: set on the callbacks thread only. */
    private volatile boolean leading;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tessera-leadership");
        thread.setDaemon(true);
        return thread;
    });

    public LeaderElection(CuratorFramework zookeeper, String adminId, Leadership leadership) {
        this.adminId = adminId;
        this.leadership = leadership;
        this.contact = new ZooKeeperContact(zookeeper);
        this.latch = new LeaderLatch(zookeeper, ZkLayout.LEADER, adminId, LeaderLatch.CloseMode.NOTIFY_LEADER);
        this.latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                log.info("Admin {} is now the leader", adminId);
                leading = true;
                leadership.gained(contact::withinSession);
            }

            @Override
            public void notLeader() {
                if (leading) {
                    log.info("Admin {} is no longer the leader", adminId);
                }
                leading = false;
                leadership.lost();
            }
        }, callbacks);
    }

    public void start() throws Exception {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("already started or closed");
        }
        latch.start();
        contact.start(this::stepDownWithoutContact);
    }

    /**
     * A leader that has not heard from ZooKeeper for longer than its session timeout (it was frozen,
     * or cut off) may have been replaced: it stops leading at once, before Curator's connection
     * thread notices. Curator's own "not leader", and a new election, follow as usual.
     */
    private void stepDownWithoutContact() {
        if (!leading || contact.withinSession()) {
            return;
        }
        callbacks.execute(() -> {
            if (leading && !contact.withinSession()) {
                leading = false;
                log.info("Admin {} is no longer the leader: no answer from ZooKeeper for {} ms, longer than the session"
                        + " timeout ({} ms), so another admin may lead now", adminId, contact.silentMillis(),
                        contact.sessionTimeoutMillis());
                leadership.lost();
            }
        });
    }

    public boolean isLeader() {
        return state.get() == State.STARTED && latch.hasLeadership();
    }

    /** The current leader's admin id, as ZooKeeper says now. */
    public Optional<String> leaderId() {
        try {
            Participant leader = latch.getLeader();
            return leader.isLeader() ? Optional.of(leader.getId()) : Optional.empty();
        } catch (Exception e) {
            log.debug("Cannot read the leader: {}", e.toString());
            return Optional.empty();
        }
    }

    public List<String> participants() {
        try {
            Collection<Participant> all = latch.getParticipants();
            return all.stream().map(Participant::getId).toList();
        } catch (Exception e) {
            log.debug("Cannot read the participants: {}", e.toString());
            return List.of();
        }
    }

    public String adminId() {
        return adminId;
    }

    @Override
    public void close() throws IOException {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            contact.close();
            latch.close();
        }
        callbacks.shutdown();
        try {
            if (!callbacks.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Leadership callbacks did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
