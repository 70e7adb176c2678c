package io.tessera.admin.cluster;

import io.tessera.core.zk.AdminCard;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This admin's place in the cluster: its member node, the signal watch and its candidacy for
 * leadership. Started once the admin's HTTP port is known (executors report there); on close it
 * withdraws from the election first, so scheduling stops before anything else.
 */
public final class AdminNode implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(AdminNode.class);

    /** What this admin does as a cluster member: lead when elected, and hear other admins' changes. */
    public interface Role extends LeaderElection.Leadership {
        /** Another admin changed jobs. */
        void jobsChanged();

        /** Another admin recorded triggers, results or cancels. */
        void runsChanged();

        /** Stops whatever leading started; called after leaving the election. */
        void close();
    }

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CuratorFramework zookeeper;
    private final ClusterSignals signals;
    private final Role engine;
    private final String adminId;
    private final String version;
    private volatile AdminRegistry registry;
    private volatile AdminCard card;
    private long publishedAtMillis;
    private volatile LeaderElection election;
    private volatile String url;

    public AdminNode(CuratorFramework zookeeper, ClusterSignals signals, Role engine, String adminId,
                     String version) {
        this.zookeeper = zookeeper;
        this.signals = signals;
        this.engine = engine;
        this.adminId = adminId;
        this.version = version;
    }

    /** @param baseUrl this admin's HTTP base URL as executors and other admins reach it */
    public void start(String baseUrl) throws Exception {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("already started or closed");
        }
        this.url = baseUrl;
        card = new AdminCard(adminId, baseUrl, version, Instant.now());
        registry = new AdminRegistry(zookeeper, card);
        registry.start();
        signals.watch(engine::jobsChanged, engine::runsChanged);
        election = new LeaderElection(zookeeper, adminId, engine);
        election.start();
        log.info("Admin {} is up at {} and stands for leadership", adminId, baseUrl);
    }

    /** How often, at most, a changing reason of the same engine mode is published (an overload's queue depths). */
    private static final long REPUBLISH_MILLIS = 5_000;

    /**
     * Publishes this admin's engine state in its card, so that every admin's UI shows the leader's:
     * at once when the mode changes, at most every 5 s while only the reason does.
     */
    public synchronized void engineChanged(String mode, String reason) {
        AdminCard current = card;
        AdminRegistry registered = registry;
        if (current == null || registered == null || state.get() != State.STARTED) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean modeChanged = !mode.equals(current.engine());
        if (!modeChanged && (reason.equals(current.engineReason()) || now - publishedAtMillis < REPUBLISH_MILLIS)) {
            return;
        }
        card = current.withEngine(mode, reason);
        publishedAtMillis = now;
        registered.update(card);
    }

    public String adminId() {
        return adminId;
    }

    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    public boolean isLeader() {
        LeaderElection current = election;
        return current != null && current.isLeader();
    }

    public Optional<String> leaderId() {
        LeaderElection current = election;
        return current == null ? Optional.empty() : current.leaderId();
    }

    public List<AdminCard> admins() {
        AdminRegistry current = registry;
        return current == null ? List.of() : current.admins();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        try {
            election.close();
        } catch (Exception e) {
            log.warn("Leaving the election failed: {}", e.toString());
        }
        engine.close();
        signals.unwatch();
        try {
            registry.close();
        } catch (Exception e) {
            log.warn("Removing the member node failed: {}", e.toString());
        }
    }
}
