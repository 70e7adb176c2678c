package io.tessera.executor.claim;

import io.tessera.core.zk.ZkLayout;
import io.tessera.core.zk.ZkLayout.AttemptPath;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Claims the attempts of one trigger batch on one session: one {@code multi} of create2 ops (each
 * op's result carries the node's stat, so its czxid is the fencing token) per {@value #MAX_OPS}
 * attempts.
 *
 * <p>A multi is all or nothing, and when it fails ZooKeeper names the first op that failed. That op
 * is classified from its code; every other attempt is then created alone (pipelined, not one after
 * the other), so a batch costs at most one multi and one create per attempt, never a retry per
 * failure. A create that meets an existing node reads its stat: ephemeral and ours is our own
 * create whose answer was lost (adopted), ephemeral and someone else's is ALREADY_CLAIMED,
 * persistent is ALREADY_DONE. One that finds its run's node missing makes it (and its bucket) as
 * container nodes and tries once more.
 *
 * <p>Every callback runs on the session's event thread; the outcome completes there.
 */
final class ClaimBatch {

    /** Ops per multi: a trigger batch (at most 500) is one transaction. */
    static final int MAX_OPS = 500;

    private static final Logger log = LoggerFactory.getLogger(ClaimBatch.class);

    private final ZooKeeper zk;
    private final SessionHandles handles;
    private final CreateOptions ephemeral;
    private final List<AttemptPath> attempts;
    private final List<byte[]> data;
    private final Consumer<AttemptPath> uncertain;
    private final ClaimAttempt[] outcomes;
    private final AtomicInteger unsettled;
    private final Set<Long> parentsRequested = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<List<ClaimAttempt>> settled = new CompletableFuture<>();

    /**
     * @param zk        the handle of the session that received the triggers
     * @param data      each attempt's node data, in the same order
     * @param uncertain told of attempts whose create got no answer: the node may exist, owned by this session
     */
    ClaimBatch(ZooKeeper zk, SessionHandles handles, List<AttemptPath> attempts, List<byte[]> data,
               Consumer<AttemptPath> uncertain) {
        this.zk = zk;
        this.handles = handles;
        this.ephemeral = CreateOptions.newBuilder(handles.acl(), CreateMode.EPHEMERAL).build();
        this.attempts = attempts;
        this.data = data;
        this.uncertain = uncertain;
        this.outcomes = new ClaimAttempt[attempts.size()];
        this.unsettled = new AtomicInteger(attempts.size());
    }

    /** @return one outcome per attempt, in order; never completes exceptionally */
    CompletableFuture<List<ClaimAttempt>> send() {
        if (attempts.isEmpty()) {
            settled.complete(List.of());
        }
        for (int from = 0; from < attempts.size(); from += MAX_OPS) {
            sendMulti(from, Math.min(attempts.size(), from + MAX_OPS));
        }
        return settled;
    }

    private void sendMulti(int from, int to) {
        List<Op> ops = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ops.add(Op.create(path(i), data.get(i), ephemeral));
        }
        try {
            zk.multi(ops, (rc, path, ctx, results) -> onMulti(from, to, Code.get(rc), results), null);
        } catch (RuntimeException e) {
            log.error("cannot send the claim of {} attempt(s)", to - from, e);
            for (int i = from; i < to; i++) {
                settle(i, ClaimAttempt.unavailable("could not claim: " + e));
            }
        }
    }

    private void onMulti(int from, int to, Code code, List<OpResult> results) {
        if (code == Code.OK) {
            for (int i = from; i < to; i++) {
                settle(i, claimed(i, ((OpResult.CreateResult) results.get(i - from)).getStat()));
            }
            return;
        }
        if (results == null) {
            // No answer at all (connection loss, expired session): nothing to learn per op.
            for (int i = from; i < to; i++) {
                onCreateFailed(i, code, true);
            }
            return;
        }
        int failedOp = MultiResults.firstFailed(results);
        int failed = failedOp < 0 ? -1 : from + failedOp;
        log.debug("a claim multi of {} attempt(s) failed at {} ({}); claiming the others one by one", to - from,
                failed < 0 ? "no op" : attempts.get(failed).path(), code);
        for (int i = from; i < to; i++) {
            if (i == failed) {
                onCreateFailed(i, code, false);
            } else {
                createAlone(i, false);
            }
        }
    }


    private void createAlone(int i, boolean afterMakingParents) {
        try {
            zk.create(path(i), data.get(i), handles.acl(), CreateMode.EPHEMERAL, (rc, path, ctx, name, stat) -> {
                Code code = Code.get(rc);
                if (code == Code.OK) {
                    settle(i, claimed(i, stat));
                } else {
                    onCreateFailed(i, code, afterMakingParents);
                }
            }, null);
        } catch (RuntimeException e) {
            log.error("cannot send the claim of {}", attempts.get(i).path(), e);
            settle(i, ClaimAttempt.unavailable("could not claim: " + e));
        }
    }

    private void onCreateFailed(int i, Code code, boolean afterMakingParents) {
        AttemptPath attempt = attempts.get(i);
        switch (code) {
            case NODEEXISTS -> inspect(i);
            case NONODE -> {
                if (afterMakingParents) {
                    settle(i, ClaimAttempt.unavailable("the node of run " + attempt.runId() + " is missing and could not be made"));
                } else {
                    makeParents(attempt.runId());
                    createAlone(i, true);
                }
            }
            case CONNECTIONLOSS, OPERATIONTIMEOUT -> {
                uncertain.accept(attempt);
                settle(i, ClaimAttempt.unavailable("ZooKeeper did not answer the claim (" + code + ")"));
            }
            default -> settle(i, ClaimAttempt.unavailable("could not claim: " + code));
        }
    }

    /** The attempt's node exists: whose is it? */
    private void inspect(int i) {
        try {
            zk.exists(path(i), false, (rc, path, ctx, stat) -> {
                Code code = Code.get(rc);
                if (code == Code.OK) {
                    settle(i, existing(i, stat));
                } else if (code == Code.NONODE) {
                    settle(i, ClaimAttempt.unavailable("the attempt's node went away while claiming; send the trigger again"));
                } else {
                    settle(i, ClaimAttempt.unavailable("cannot read the attempt's node: " + code));
                }
            }, null);
        } catch (RuntimeException e) {
            log.error("cannot read {}", attempts.get(i).path(), e);
            settle(i, ClaimAttempt.unavailable("could not claim: " + e));
        }
    }

    private ClaimAttempt existing(int i, Stat stat) {
        AttemptPath attempt = attempts.get(i);
        if (stat.getEphemeralOwner() == 0) {
            return ClaimAttempt.refused(ClaimAttempt.Outcome.ALREADY_DONE, "attempt " + attempt.attempt() + " of run "
                    + attempt.runId() + " shard " + attempt.shard() + " already has a result");
        }
        if (stat.getEphemeralOwner() != zk.getSessionId()) {
            return ClaimAttempt.refused(ClaimAttempt.Outcome.ALREADY_CLAIMED, "attempt " + attempt.attempt() + " of run "
                    + attempt.runId() + " shard " + attempt.shard() + " is held by another executor");
        }
        // This agent never claims what it holds (the runner reserves first), so a node of our own
        // session is a create whose answer was lost.
        log.info("adopting {}: a claim of this session whose answer was lost", attempt.path());
        return claimed(i, stat);
    }

    /**
     * Sends the creates of the run's missing ancestors, once per run. They need no answer before
     * the attempt's create: one session's requests are applied in the order they were sent.
     */
    private void makeParents(long runId) {
        if (!parentsRequested.add(runId)) {
            return;
        }
        String root = handles.namespaceRoot();
        if (root != null) {
            createParent(root, CreateMode.PERSISTENT);
        }
        createParent(handles.namespaced(ZkLayout.RUNS), CreateMode.PERSISTENT);
        createParent(handles.namespaced(ZkLayout.bucket(ZkLayout.bucketOf(runId))), CreateMode.CONTAINER);
        createParent(handles.namespaced(ZkLayout.run(runId)), CreateMode.CONTAINER);
    }

    private void createParent(String path, CreateMode mode) {
        zk.create(path, new byte[0], handles.acl(), mode, (rc, created, ctx, name) -> {
            Code code = Code.get(rc);
            if (code != Code.OK && code != Code.NODEEXISTS) {
                log.warn("cannot make {}: {}", created, code);
            }
        }, null);
    }

    private ClaimAttempt claimed(int i, Stat stat) {
        AttemptPath attempt = attempts.get(i);
        return ClaimAttempt.claimed(new Claim(attempt.runId(), attempt.shard(), attempt.attempt(), attempt.path(),
                stat.getVersion(), stat.getCzxid(), stat.getEphemeralOwner()));
    }

    private String path(int i) {
        return handles.namespaced(attempts.get(i).path());
    }

    private void settle(int i, ClaimAttempt outcome) {
        outcomes[i] = outcome;
        if (unsettled.decrementAndGet() == 0) {
            settled.complete(List.of(outcomes));
        }
    }
}
