package io.tessera.executor.claim;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ShardClaim;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.curator.x.async.AsyncCuratorFramework;
import org.apache.curator.x.async.api.CreateOption;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The shard lease protocol, all asynchronous so that triggers pipeline.
 *
 * <ol>
 *   <li>Claim: create the ephemeral {@code claim} node. If it exists, someone holds the shard.</li>
 *   <li>Only then look for {@code done}: if it exists, the shard finished, so give the claim back.
 *       This order is race-free because {@code done} is only created together with the deletion
 *       of a claim, by its holder, in one transaction.</li>
 *   <li>Complete: one transaction deletes the claim (at the version we hold) and creates {@code done}.</li>
 * </ol>
 *
 * Deletes and the completion run on the ZooKeeper handle of the session that created the claim,
 * so a holder whose session expired can never delete or complete a claim made by someone else.
 */
public final class ClaimService {

    private static final Logger log = LoggerFactory.getLogger(ClaimService.class);

    private final CuratorFramework client;
    private final AsyncCuratorFramework async;
    private final String executorId;
    private final Executor executor;
    private final Clock clock;

    /**
     * The claim path continues on ZooKeeper's callback thread (each step only sends the next
     * asynchronous request, and the runner's admission does not block), which saves thread hops
     * per trigger. Release and completion continue on {@code executor}, since what follows them
     * (spooling a result) writes files.
     */
    public ClaimService(CuratorFramework client, String executorId, Executor executor, Clock clock) {
        this.client = client;
        this.async = AsyncCuratorFramework.wrap(client);
        this.executorId = executorId;
        this.executor = executor;
        this.clock = clock;
    }

    public CompletionStage<ClaimAttempt> claim(long runId, int shard, int attempt) {
        String path = ZkLayout.claim(runId, shard);
        byte[] data = WireCodec.encode(new ShardClaim(executorId, attempt, clock.instant()));
        Stat stat = new Stat();
        return async.create()
                .withOptions(EnumSet.of(CreateOption.createParentsAsContainers), CreateMode.EPHEMERAL, null, stat)
                .forPath(path, data)
                .handle((created, error) -> error == null
                        ? CompletableFuture.completedFuture(claimOf(runId, shard, attempt, path, stat))
                        : onCreateFailed(runId, shard, attempt, path, error))
                .thenCompose(stage -> stage)
                .thenCompose(claim -> claim == null
                        ? CompletableFuture.completedFuture(ClaimAttempt.refused(ClaimAttempt.Outcome.ALREADY_CLAIMED))
                        : checkDone(claim));
    }

    /**
     * Gives a claim back without a result. DONE when the node is gone, STALE when the claim's
     * session is over (the node went with it), UNREACHABLE when ZooKeeper cannot be asked now:
     * the caller tries again, or the claim would block its shard for as long as the session lives.
     */
    public CompletionStage<Completion> release(Claim claim) {
        CompletableFuture<Completion> released = new CompletableFuture<>();
        ZooKeeper zk = handleOf(claim);
        if (zk == null) {
            released.complete(sessionGoneOrUnreachable());
            return released;
        }
        zk.delete(namespaced(claim.path()), claim.version(), (rc, path, ctx) -> {
            KeeperException.Code code = KeeperException.Code.get(rc);
            if (code == KeeperException.Code.NONODE) {
                released.complete(Completion.DONE);
                return;
            }
            Completion outcome = completionOf(rc);
            if (outcome == Completion.STALE) {
                log.warn("could not release the claim {}: {}", claim.path(), code);
            }
            released.complete(outcome);
        }, null);
        return released.thenApplyAsync(c -> c, executor);
    }

    /** Deletes the claim and creates {@code done} with the result, atomically. */
    public CompletionStage<Completion> complete(Claim claim, ShardResult result) {
        CompletableFuture<Completion> completed = new CompletableFuture<>();
        ZooKeeper zk = handleOf(claim);
        if (zk == null) {
            completed.complete(sessionGoneOrUnreachable());
            return completed;
        }
        List<Op> ops = List.of(
                Op.delete(namespaced(claim.path()), claim.version()),
                Op.create(namespaced(ZkLayout.done(claim.runId(), claim.shard())), WireCodec.encode(result),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        AsyncCallback.MultiCallback callback = (rc, path, ctx, results) -> completed.complete(completionOf(rc));
        zk.multi(ops, callback, null);
        return completed.thenApplyAsync(c -> c, executor);
    }

    /** The current session id, or 0 when there is no usable session. */
    public long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    private Claim claimOf(long runId, int shard, int attempt, String path, Stat stat) {
        return new Claim(runId, shard, attempt, path, stat.getVersion(), stat.getCzxid(), stat.getEphemeralOwner());
    }

    /**
     * A NodeExists is usually another holder. It can also be our own create, retried by Curator
     * after a lost reply; the caller never claims a shard it already holds, so a node owned by our
     * session is that orphan and we adopt it.
     */
    private CompletionStage<Claim> onCreateFailed(long runId, int shard, int attempt, String path, Throwable error) {
        Throwable cause = unwrap(error);
        if (!(cause instanceof KeeperException.NodeExistsException)) {
            return CompletableFuture.failedFuture(cause);
        }
        long session = sessionId();
        return async.checkExists().forPath(path).thenApply(stat -> stat != null && session != 0
                && stat.getEphemeralOwner() == session ? claimOf(runId, shard, attempt, path, stat) : null);
    }

    private CompletionStage<ClaimAttempt> checkDone(Claim claim) {
        return async.checkExists().forPath(ZkLayout.done(claim.runId(), claim.shard()))
                .thenCompose(done -> done == null
                        ? CompletableFuture.completedFuture(ClaimAttempt.claimed(claim))
                        : release(claim).thenApply(c -> ClaimAttempt.refused(ClaimAttempt.Outcome.ALREADY_DONE)))
                .exceptionallyCompose(error -> release(claim).thenCompose(v -> CompletableFuture.failedFuture(unwrap(error))));
    }

    private Completion completionOf(int rc) {
        KeeperException.Code code = KeeperException.Code.get(rc);
        return switch (code) {
            case OK -> Completion.DONE;
            case CONNECTIONLOSS, OPERATIONTIMEOUT -> Completion.UNREACHABLE;
            default -> Completion.STALE;
        };
    }

    private Completion sessionGoneOrUnreachable() {
        return sessionId() == 0 ? Completion.UNREACHABLE : Completion.STALE;
    }

    /** The handle of the claim's session, or null when the current session is another one. */
    private ZooKeeper handleOf(Claim claim) {
        try {
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            return zk.getSessionId() == claim.sessionId() ? zk : null;
        } catch (Exception e) {
            return null;
        }
    }

    private String namespaced(String path) {
        return ZKPaths.fixForNamespace(client.getNamespace(), path);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
