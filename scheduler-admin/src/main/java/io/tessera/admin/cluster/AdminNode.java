package io.tessera.admin.cluster;

import io.tessera.admin.engine.SchedulingEngine;
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

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CuratorFramework zookeeper;
    private final ClusterSignals signals;
    private final SchedulingEngine engine;
    private final String adminId;
    private final String version;
    private volatile AdminRegistry registry;
    private volatile LeaderElection election;
    private volatile String url;

    public AdminNode(CuratorFramework zookeeper, ClusterSignals signals, SchedulingEngine engine, String adminId,
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
        registry = new AdminRegistry(zookeeper, new AdminCard(adminId, baseUrl, version, Instant.now()));
        registry.start();
        signals.watch(engine::jobsChanged, engine::runsChanged);
        election = new LeaderElection(zookeeper, adminId, engine);
        election.start();
        log.info("Admin {} is up at {} and stands for leadership", adminId, baseUrl);
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
