package io.tessera.admin.engine;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ShardClaim;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.x.async.AsyncCuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The admin's asynchronous reads and clean-ups of {@code /runs}. */
final class RunNodes {

    private final CuratorFramework zookeeper;
    private final AsyncCuratorFramework async;

    RunNodes(CuratorFramework zookeeper) {
        this.zookeeper = zookeeper;
        this.async = AsyncCuratorFramework.wrap(zookeeper);
    }

    /** Creates {@code /runs} once, so that runs' nodes can be made in single transactions. */
    void ensureRoot() throws Exception {
        try {
            zookeeper.create().creatingParentsIfNeeded().forPath(ZkLayout.RUNS);
        } catch (KeeperException.NodeExistsException exists) {
            // Made by an earlier leader.
        }
    }

    /**
     * Makes a run's shard nodes ahead of its fire time, in one transaction, so that an executor's
     * claim is a single write when the shard fires. Best effort: an executor makes what is missing.
     */
    CompletableFuture<Void> prepare(long runId, int shards) {
        List<org.apache.curator.framework.api.transaction.CuratorOp> ops = new ArrayList<>(shards + 1);
        try {
            ops.add(zookeeper.transactionOp().create().forPath(ZkLayout.run(runId)));
            for (int shard = 0; shard < shards; shard++) {
                ops.add(zookeeper.transactionOp().create().forPath(ZkLayout.shard(runId, shard)));
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return async.transaction().forOperations(ops).toCompletableFuture().thenApply(results -> null);
    }

    CompletableFuture<Optional<ShardResult>> readDone(long runId, int shard) {
        return read(ZkLayout.done(runId, shard)).thenApply(data -> data.map(bytes -> WireCodec.decode(bytes, ShardResult.class)));
    }

    CompletableFuture<Optional<ShardClaim>> readClaim(long runId, int shard) {
        return read(ZkLayout.claim(runId, shard)).thenApply(data -> data.map(bytes -> WireCodec.decode(bytes, ShardClaim.class)));
    }

    private CompletableFuture<Optional<byte[]>> read(String path) {
        return async.getData().forPath(path).toCompletableFuture()
                .thenApply(Optional::of)
                .exceptionally(error -> {
                    if (cause(error) instanceof KeeperException.NoNodeException) {
                        return Optional.empty();
                    }
                    throw new CompletionException(cause(error));
                });
    }

    /** Removes a failed attempt's {@code done} node so that a retry can claim the shard again. */
    CompletableFuture<Void> deleteDone(long runId, int shard) {
        return async.delete().forPath(ZkLayout.done(runId, shard)).toCompletableFuture()
                .exceptionally(error -> {
                    if (cause(error) instanceof KeeperException.NoNodeException) {
                        return null;
                    }
                    throw new CompletionException(cause(error));
                });
    }

    /** Removes a finished run's nodes. */
    void deleteRun(long runId) throws Exception {
        try {
            zookeeper.delete().deletingChildrenIfNeeded().forPath(ZkLayout.run(runId));
        } catch (KeeperException.NoNodeException gone) {
            // Already clean.
        }
    }

    /** The run ids that have nodes under {@code /runs}. */
    List<Long> runsWithNodes() throws Exception {
        List<Long> ids = new ArrayList<>();
        try {
            for (String child : zookeeper.getChildren().forPath(ZkLayout.RUNS)) {
                try {
                    ids.add(Long.parseLong(child));
                } catch (NumberFormatException ignored) {
                    // Not ours.
                }
            }
        } catch (KeeperException.NoNodeException none) {
            // No run has nodes.
        }
        return ids;
    }

    private static Throwable cause(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
