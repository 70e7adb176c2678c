package io.tessera.admin.cluster;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.validation.ValidationException;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.zk.Cards;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live executors, as their ZooKeeper member nodes say, kept current by a {@link CuratorCache}
 * watch (never by polling). Listeners hear when an executor joins or leaves.
 */
public final class ExecutorDirectory implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ExecutorDirectory.class);

    /** Hears executors come and go; called on Curator's event thread, so keep it short. */
    public interface Listener {
        void joined(ExecutorCard card);

        void left(ExecutorCard card);
    }

    private enum State { LATENT, STARTED, CLOSED }

    private record Member(String path, long sequence, ExecutorCard card) {
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    /** Member nodes whose card is refused, with the reason logged. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final CuratorCache cache;

    public ExecutorDirectory(CuratorFramework zookeeper) {
        this.cache = CuratorCache.build(zookeeper, ZkLayout.EXECUTORS);
        this.cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, node) -> put(node))
                .forDeletes(this::remove)
                .forInitialized(initialized::countDown)
                .build());
    }

    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("already started or closed");
        }
        cache.start();
    }

    /** Waits until the first full read of {@code /executors} is in. */
    public boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** The live executors of one group, in registration order, each once. */
    public List<ExecutorCard> group(String group) {
        return distinct(members.values().stream()
                .filter(member -> member.card().group().equals(group))
                .sorted(Comparator.comparingLong(Member::sequence))
                .map(Member::card)
                .toList());
    }

    /** Every live executor, by group and registration order, each once. */
    public List<ExecutorCard> all() {
        return distinct(members.values().stream()
                .sorted(Comparator.comparing((Member member) -> member.card().group()).thenComparingLong(Member::sequence))
                .map(Member::card)
                .toList());
    }

    /**
     * One card per executor id: a member node re-created after a lost connection can briefly exist
     * next to the old one until the old session ends.
     */
    private static List<ExecutorCard> distinct(List<ExecutorCard> cards) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return cards.stream().filter(card -> seen.add(card.id())).toList();
    }

    public Optional<ExecutorCard> byId(String executorId) {
        return members.values().stream().map(Member::card).filter(card -> card.id().equals(executorId)).findFirst();
    }

    /**
     * The member node an executor is registered under now (its oldest live one): it changes when the
     * executor registers again in a new ZooKeeper session, e.g. after a restart or a session expiry.
     */
    public Optional<String> registration(String executorId) {
        return members.values().stream()
                .filter(member -> member.card().id().equals(executorId))
                .min(Comparator.comparingLong(Member::sequence))
                .map(Member::path);
    }

    /** How the executor at {@code address} is called, as its card says: {@code https} or {@code http} (also when none is there). */
    public String schemeAt(String address) {
        return members.values().stream().map(Member::card).filter(card -> card.address().equals(address))
                .map(ExecutorCard::scheme).findFirst().orElse(ExecutorCard.HTTP);
    }

    public boolean isAlive(String executorId) {
        return byId(executorId).isPresent();
    }

    private void put(ChildData node) {
        Optional<ZkLayout.MemberPath> path = ZkLayout.parseMember(node.getPath());
        if (path.isEmpty()) {
            return;
        }
        ExecutorCard card;
        try {
            card = Cards.executor(node.getData());
            if (!card.group().equals(path.get().group())) {
                throw new ValidationException("group", "the card names group '" + card.group()
                        + "' but lies under group '" + path.get().group() + "'");
            }
        } catch (WireFormatException | IllegalArgumentException e) {
            refuse(node.getPath(), e.getMessage());
            return;
        }
        refused.remove(node.getPath());
        boolean known = isAlive(card.id());
        Member previous = members.put(node.getPath(), new Member(node.getPath(), path.get().sequence(), card));
        if (previous == null && !known) {
            log.info("Executor {} joined group '{}' at {} with {} device(s), {} slot(s)", card.id(), card.group(),
                    card.address(), card.devices().size(), card.slots());
            listeners.forEach(listener -> listener.joined(card));
        }
    }

    /**
     * A card this admin cannot use (unreadable, or an address no HTTP client can call) is left out of
     * the directory, so no shard is placed on it and no status is asked of it; it is logged once per
     * node and reason. If the node held a good card before, the executor leaves.
     */
    private void refuse(String path, String reason) {
        if (!reason.equals(refused.put(path, reason))) {
            log.error("Ignoring executor node {}: its card cannot be used ({}). That agent gets no work from this admin"
                    + " until it registers with a valid card (check its --host and --port)", path, reason);
        }
        Member gone = members.remove(path);
        if (gone != null && !isAlive(gone.card().id())) {
            listeners.forEach(listener -> listener.left(gone.card()));
        }
    }

    private void remove(ChildData node) {
        refused.remove(node.getPath());
        Member gone = members.remove(node.getPath());
        if (gone != null && !isAlive(gone.card().id())) {
            log.info("Executor {} left group '{}' ({})", gone.card().id(), gone.card().group(), gone.card().address());
            listeners.forEach(listener -> listener.left(gone.card()));
        }
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            cache.close();
        }
    }
}
