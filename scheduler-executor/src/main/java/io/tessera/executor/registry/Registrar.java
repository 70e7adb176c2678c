package io.tessera.executor.registry;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps this agent's member node {@code /executors/{group}/member-…} alive. Curator's
 * {@link PersistentNode} re-creates the ephemeral-sequential node after a session expiry or a
 * deletion; closing removes it at once.
 */
public final class Registrar implements Closeable {

    private enum State { LATENT, STARTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final PersistentNode node;
    private final AtomicReference<ExecutorCard> card;

    public Registrar(CuratorFramework client, ExecutorCard card) {
        this.card = new AtomicReference<>(card);
        this.node = new PersistentNode(client, CreateMode.EPHEMERAL_SEQUENTIAL, false,
                ZkLayout.memberPrefix(card.group()), WireCodec.encode(card));
    }

    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the registrar can be started once");
        }
        node.start();
    }

    /** Waits until the node exists for the first time; true when it does. */
    public boolean awaitRegistered(long timeout, TimeUnit unit) throws InterruptedException {
        boolean created = node.waitForInitialCreate(timeout, unit);
        if (created) {
            log.info("registered executor {} at {} as {}", card().id(), card().address(), node.getActualPath());
        }
        return created;
    }

    /** The member node's current path (it changes after a re-registration), or null before the first create. */
    public String memberPath() {
        return node.getActualPath();
    }

    public ExecutorCard card() {
        return card.get();
    }

    /**
     * Publishes a changed card (the same executor, e.g. a device's health changed). The
     * {@link PersistentNode} writes it now if its node exists and keeps it for every re-creation.
     */
    public void update(ExecutorCard changed) throws Exception {
        if (!changed.id().equals(card().id()) || !changed.group().equals(card().group())) {
            throw new IllegalArgumentException("a registrar publishes one executor's card; " + changed.id() + " is another");
        }
        if (state.get() == State.CLOSED) {
            return;
        }
        card.set(changed);
        node.setData(WireCodec.encode(changed));
    }

    @Override
    public void close() throws IOException {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            node.close();
        }
    }
}
