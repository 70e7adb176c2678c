package io.tessera.executor.claim;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.zk.ZkLayout;
import io.tessera.core.zk.ZkLayout.AttemptPath;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Results whose claim's session ended before they could be written: the handler finished while
 * ZooKeeper was out of reach, and the outage outlasted the session. The handler finished (a shard
 * stopped by the zombie deadline never gets here: it records no result), so its result still
 * counts, provided that nobody took the attempt since. On the current session:
 *
 * <ol>
 *   <li>the run's node is listed: any later attempt of the shard, held or finished, means the
 *       leader moved on, and the result is STALE;</li>
 *   <li>the attempt's node is read: gone with the session, or still our old session's claim (a
 *       restarted server keeps expired sessions for one more timeout), it can be written; another
 *       session's claim, or another result, is STALE; our own result is DONE already (a completion
 *       whose answer was lost);</li>
 *   <li>one transaction replaces the claim (deleted at its version, if still there) by the result
 *       node, and creates and deletes the next attempt's node: that fails if anyone claimed the
 *       next attempt between 1 and 3, so the result is never written beside a newer holder.</li>
 * </ol>
 *
 * Every callback runs on the session's event thread.
 */
final class ExpiredClaimResults {

    private static final Logger log = LoggerFactory.getLogger(ExpiredClaimResults.class);

    private final SessionHandles handles;
    private final AtomicLong recovered = new AtomicLong();

    ExpiredClaimResults(SessionHandles handles) {
        this.handles = handles;
    }

    /** How many results were recorded after their session expired, since the agent started. */
    long recovered() {
        return recovered.get();
    }

    /** @return DONE, STALE, or UNREACHABLE when ZooKeeper cannot be asked now (try again); never exceptionally */
    CompletableFuture<Completion> record(Claim claim, ShardResult result) {
        CompletableFuture<Completion> outcome = new CompletableFuture<>();
        ZooKeeper zk = handles.current();
        if (zk == null || zk.getSessionId() == 0) {
            outcome.complete(Completion.UNREACHABLE);
            return outcome;
        }
        try {
            zk.getChildren(handles.namespaced(ZkLayout.run(claim.runId())), false, (rc, path, ctx, children) -> {
                Code code = Code.get(rc);
                if (code != Code.OK) {
                    settle(outcome, claim, code, "its run's node cannot be listed");
                    return;
                }
                Optional<AttemptPath> later = children.stream()
                        .flatMap(name -> ZkLayout.parseAttemptName(claim.runId(), name).stream())
                        .filter(a -> a.shard() == claim.shard() && a.attempt() > claim.attempt()).findFirst();
                if (later.isPresent()) {
                    stale(outcome, claim, "attempt " + later.get().attempt() + " exists");
                    return;
                }
                readAttempt(zk, claim, result, outcome);
            }, null);
        } catch (RuntimeException e) {
            log.warn("cannot ask ZooKeeper about {} now: {}", claim.path(), e.toString());
            outcome.complete(Completion.UNREACHABLE);
        }
        return outcome;
    }

    private void readAttempt(ZooKeeper zk, Claim claim, ShardResult result, CompletableFuture<Completion> outcome) {
        zk.getData(handles.namespaced(claim.path()), false, (rc, path, ctx, data, stat) -> {
            Code code = Code.get(rc);
            if (code == Code.NONODE) {
                write(zk, claim, result, null, outcome);
            } else if (code != Code.OK) {
                settle(outcome, claim, code, "its attempt's node cannot be read");
            } else if (stat.getEphemeralOwner() == 0) {
                alreadyFinished(claim, data, outcome);
            } else if (stat.getEphemeralOwner() == claim.sessionId() && stat.getCzxid() == claim.fencingToken()) {
                write(zk, claim, result, stat, outcome);
            } else {
                stale(outcome, claim, "another session holds the attempt");
            }
        }, null);
    }

    private void alreadyFinished(Claim claim, byte[] data, CompletableFuture<Completion> outcome) {
        try {
            if (WireCodec.decode(data, ShardResult.class).fencingToken() == claim.fencingToken()) {
                log.info("{} already holds this result: its completion went through before the session ended", claim.path());
                outcome.complete(Completion.DONE);
                return;
            }
        } catch (WireFormatException e) {
            log.warn("{} holds something that is not a result: {}", claim.path(), e.getMessage());
        }
        stale(outcome, claim, "the attempt holds another result");
    }

    /** @param claimStat the old session's claim node, still there; null when it went with the session */
    private void write(ZooKeeper zk, Claim claim, ShardResult result, Stat claimStat, CompletableFuture<Completion> outcome) {
        String path = handles.namespaced(claim.path());
        String next = handles.namespaced(ZkLayout.attempt(claim.runId(), claim.shard(), claim.attempt() + 1));
        List<Op> ops = new ArrayList<>(4);
        if (claimStat != null) {
            ops.add(Op.delete(path, claimStat.getVersion()));
        }
        ops.add(Op.create(path, WireCodec.encode(result), handles.acl(), CreateMode.PERSISTENT));
        int nextCreate = ops.size();
        // Fails if the next attempt exists, else leaves nothing behind: "the next attempt is absent", atomically.
        ops.add(Op.create(next, new byte[0], handles.acl(), CreateMode.PERSISTENT));
        ops.add(Op.delete(next, -1));
        zk.multi(ops, (rc, p, ctx, results) -> {
            Code code = Code.get(rc);
            if (code == Code.OK) {
                log.warn("recovered result of run {} shard {} attempt {} ({}) after session expiry: recorded on the next"
                                + " session, nobody had taken the attempt ({} so far)", claim.runId(), claim.shard(),
                        claim.attempt(), result.status(), recovered.incrementAndGet());
                outcome.complete(Completion.DONE);
            } else if (results != null && MultiResults.firstFailed(results) == nextCreate) {
                stale(outcome, claim, "attempt " + (claim.attempt() + 1) + " was claimed meanwhile");
            } else {
                settle(outcome, claim, code, "the attempt changed meanwhile");
            }
        }, null);
    }

    private static void settle(CompletableFuture<Completion> outcome, Claim claim, Code code, String why) {
        if (code == Code.CONNECTIONLOSS || code == Code.OPERATIONTIMEOUT || code == Code.SESSIONEXPIRED) {
            outcome.complete(Completion.UNREACHABLE);
        } else {
            stale(outcome, claim, why + " (" + code + ")");
        }
    }

    private static void stale(CompletableFuture<Completion> outcome, Claim claim, String why) {
        log.warn("the result of {} cannot be recorded after its session expired: {}", claim.path(), why);
        outcome.complete(Completion.STALE);
    }
}
