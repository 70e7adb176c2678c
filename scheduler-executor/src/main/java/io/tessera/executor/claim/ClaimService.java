package io.tessera.executor.claim;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ShardClaim;
import io.tessera.core.zk.ZkLayout.AttemptPath;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The attempt lease protocol, asynchronous and batched.
 *
 * <ol>
 *   <li>Claim: create the attempt's ephemeral node, all the attempts of a trigger batch in one
 *       transaction ({@link ClaimBatch}). It fails while someone holds the attempt (an ephemeral
 *       node) and once it finished (a persistent one).</li>
 *   <li>Complete: in one transaction, delete the ephemeral node at the claimed version and create the
 *       persistent node of the same name holding the result; shards that finish together share a
 *       transaction ({@link CompletionBatcher}).</li>
 *   <li>Release: delete the ephemeral node at the claimed version, giving the attempt back without a result.</li>
 * </ol>
 *
 * Everything runs on the raw handle of one session: claims on the session that received the
 * trigger, completions and releases on the session that made the claim, so a holder whose session
 * ended can never touch a node made by someone else.
 */
public final class ClaimService {

    private static final Logger log = LoggerFactory.getLogger(ClaimService.class);

    private final SessionHandles handles;
    private final String executorId;
    private final Clock clock;
    private final ExpiredClaimResults expired;
    private final CompletionBatcher completions;
    private final UncertainClaims uncertain;

    /**
     * @param drainer      encodes and sends completion transactions (one at a time); give it its own thread
     * @param scheduler    retries the clean-up of claims whose create got no answer
     * @param reservations the agent's shards, so that the clean-up never races a trigger
     * @param acl          the ACL of every claim and result node ({@link io.tessera.core.zk.ZkAccess#acl()}): they go
     *                     to the raw ZooKeeper handle, past Curator's ACL provider
     */
    public ClaimService(CuratorFramework client, String executorId, Executor drainer, ScheduledExecutorService scheduler,
                        Clock clock, Reservations reservations, List<ACL> acl) {
        this.handles = new SessionHandles(client, acl);
        this.executorId = executorId;
        this.clock = clock;
        this.expired = new ExpiredClaimResults(handles);
        this.completions = new CompletionBatcher(handles, expired, drainer);
        this.uncertain = new UncertainClaims(handles, scheduler, reservations);
    }

    /** How many results were recorded after the session of their claim expired, since the start. */
    public long recoveredResults() {
        return expired.recovered();
    }

    /** The current session's id, or 0 when there is none: capture it when a trigger arrives. */
    public long sessionId() {
        return handles.currentId();
    }

    /**
     * Claims the attempts, in one transaction per {@value ClaimBatch#MAX_OPS}, on the session the
     * triggers arrived in. If that session is not the current one any more, nothing is sent and
     * every attempt is UNAVAILABLE: a trigger is never claimed by a session newer than the one that
     * received it.
     *
     * @param receivedIn {@link #sessionId()} when the triggers arrived
     * @return one outcome per attempt, in order; never completes exceptionally
     */
    public CompletionStage<List<ClaimAttempt>> claim(List<AttemptPath> attempts, long receivedIn) {
        ZooKeeper zk = handles.of(receivedIn);
        if (zk == null) {
            String why = receivedIn == 0 ? "no ZooKeeper session when the trigger arrived"
                    : "the ZooKeeper session changed since the trigger arrived";
            return CompletableFuture.completedFuture(Collections.nCopies(attempts.size(), ClaimAttempt.unavailable(why)));
        }
        return new ClaimBatch(zk, handles, attempts, claimData(attempts), attempt -> uncertain.add(attempt, receivedIn)).send();
    }

    /** The attempts' node data; most of a batch shares one attempt number, so most share one array. */
    private List<byte[]> claimData(List<AttemptPath> attempts) {
        Instant now = clock.instant();
        Map<Integer, byte[]> byAttempt = new HashMap<>();
        List<byte[]> data = new ArrayList<>(attempts.size());
        for (AttemptPath attempt : attempts) {
            data.add(byAttempt.computeIfAbsent(attempt.attempt(),
                    number -> WireCodec.encode(new ShardClaim(executorId, number, now))));
        }
        return data;
    }

    /**
     * Replaces the claim's ephemeral node by a persistent one holding the result, batched with
     * whatever else finishes meanwhile. DONE when written, STALE when the claim is no longer ours,
     * UNREACHABLE when ZooKeeper cannot be asked now (the caller tries again). A claim whose session
     * expired meanwhile is DONE still when nobody took its attempt since ({@link ExpiredClaimResults}).
     */
    public CompletionStage<Completion> complete(Claim claim, ShardResult result) {
        return completions.complete(claim, result);
    }

    /**
     * Gives a claim back without a result. DONE when the node is gone, STALE when the claim's
     * session is over (the node went with it), UNREACHABLE when ZooKeeper cannot be asked now:
     * the caller tries again, or the claim would block its attempt for as long as the session lives.
     */
    public CompletionStage<Completion> release(Claim claim) {
        CompletableFuture<Completion> released = new CompletableFuture<>();
        ZooKeeper zk = handles.of(claim.sessionId());
        if (zk == null) {
            released.complete(handles.currentId() == 0 ? Completion.UNREACHABLE : Completion.STALE);
            return released;
        }
        zk.delete(handles.namespaced(claim.path()), claim.version(), (rc, path, ctx) -> {
            Code code = Code.get(rc);
            if (code == Code.NONODE) {
                released.complete(Completion.DONE);
                return;
            }
            Completion outcome = Completion.of(code);
            if (outcome == Completion.STALE) {
                log.warn("could not release the claim {}: {}", claim.path(), code);
            }
            released.complete(outcome);
        }, null);
        return released;
    }
}
