package io.tessera.executor.claim;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the results of shards claimed on one session in one {@code multi}: for each shard, delete
 * its ephemeral attempt node at the claimed version and create the persistent node of the same name
 * holding the result. When the multi fails, the shard whose op failed is classified from the code,
 * and every other shard is written alone (its own two-op multi, pipelined), each classified as
 * {@link Completion#of} says.
 */
final class CompletionBatch {

    private static final Logger log = LoggerFactory.getLogger(CompletionBatch.class);

    private final ZooKeeper zk;
    private final SessionHandles handles;
    private final List<PendingCompletion> shards;
    private final List<byte[]> results;
    private final AtomicInteger unsettled;
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    /**
     * @param zk      the handle of the session that owns every claim here
     * @param results each shard's result, encoded, in the same order
     */
    CompletionBatch(ZooKeeper zk, SessionHandles handles, List<PendingCompletion> shards, List<byte[]> results) {
        this.zk = zk;
        this.handles = handles;
        this.shards = shards;
        this.results = results;
        this.unsettled = new AtomicInteger(shards.size());
    }

    /** @return completes once every shard's outcome is known; never exceptionally */
    CompletableFuture<Void> send() {
        if (shards.isEmpty()) {
            settled.complete(null);
            return settled;
        }
        List<Op> ops = new ArrayList<>(2 * shards.size());
        for (int i = 0; i < shards.size(); i++) {
            ops.addAll(opsOf(i));
        }
        multi(ops, (code, opResults) -> onMulti(code, opResults), 0, shards.size());
        return settled;
    }

    private List<Op> opsOf(int i) {
        Claim claim = shards.get(i).claim();
        String path = handles.namespaced(claim.path());
        return List.of(Op.delete(path, claim.version()),
                Op.create(path, results.get(i), handles.acl(), CreateMode.PERSISTENT));
    }

    private void onMulti(Code code, List<OpResult> opResults) {
        if (code == Code.OK || opResults == null) {
            for (int i = 0; i < shards.size(); i++) {
                settle(i, Completion.of(code));
            }
            return;
        }
        int failedOp = MultiResults.firstFailed(opResults);
        int failed = failedOp < 0 ? -1 : failedOp / 2;
        log.debug("a completion multi of {} shard(s) failed at {} ({}); writing the others one by one", shards.size(),
                failed < 0 ? "no op" : shards.get(failed).claim().path(), code);
        for (int i = 0; i < shards.size(); i++) {
            if (i == failed) {
                settle(i, Completion.of(code));
            } else {
                int shard = i;
                multi(opsOf(i), (alone, ignored) -> settle(shard, Completion.of(alone)), i, i + 1);
            }
        }
    }


    private void multi(List<Op> ops, Answer answer, int from, int to) {
        try {
            zk.multi(ops, (rc, path, ctx, opResults) -> answer.on(Code.get(rc), opResults), null);
        } catch (RuntimeException e) {
            log.error("cannot send the completion of {} shard(s)", to - from, e);
            for (int i = from; i < to; i++) {
                settle(i, Completion.UNREACHABLE);
            }
        }
    }

    private void settle(int i, Completion outcome) {
        shards.get(i).outcome().complete(outcome);
        if (unsettled.decrementAndGet() == 0) {
            settled.complete(null);
        }
    }

    @FunctionalInterface
    private interface Answer {
        void on(Code code, List<OpResult> opResults);
    }
}
