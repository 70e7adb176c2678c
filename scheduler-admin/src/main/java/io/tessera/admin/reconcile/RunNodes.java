package io.tessera.admin.reconcile;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.AttemptNode;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.x.async.AsyncCuratorFramework;
import org.apache.curator.x.async.api.CreateOption;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin's side of {@code /runs}, all asynchronous: run nodes made ahead of their shards in
 * one transaction, attempt nodes read back, finished runs removed in transactions of many runs.
 * Never lists {@code /runs} itself beyond its buckets, whose children are bounded.
 */
public final class RunNodes {

    private static final Logger log = LoggerFactory.getLogger(RunNodes.class);
    /** Operations per transaction: far below ZooKeeper's 1 MiB request limit for these short paths. */
    static final int MAX_OPS = 1_000;

    private final CuratorFramework zookeeper;
    private final AsyncCuratorFramework async;
    private final Set<Long> knownBuckets = ConcurrentHashMap.newKeySet();
    /** Runs whose node this admin made (or found made) and has not removed: their absence means the server removed it. */
    private final Set<Long> made = ConcurrentHashMap.newKeySet();

    public RunNodes(CuratorFramework zookeeper) {
        this.zookeeper = zookeeper;
        this.async = AsyncCuratorFramework.wrap(zookeeper);
    }

    /** Creates {@code /runs} once, so that run nodes can be made in single transactions. Blocking. */
    public void ensureRoot() throws Exception {
        try {
            zookeeper.create().creatingParentsIfNeeded().forPath(ZkLayout.RUNS);
        } catch (KeeperException.NodeExistsException exists) {
            // Made by an earlier leader.
        }
    }

    /**
     * Makes these runs' nodes (container nodes, with their buckets when new) in as few transactions
     * as it can, so that an executor's claim of an attempt is one create. Best effort: an executor
     * makes what is missing.
     */
    public CompletableFuture<Void> prepare(Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> paths = new ArrayList<>();
        Set<Long> newBuckets = new TreeSet<>();
        for (long runId : new TreeSet<>(runIds)) {
            long bucket = ZkLayout.bucketOf(runId);
            if (!knownBuckets.contains(bucket) && newBuckets.add(bucket)) {
                paths.add(ZkLayout.bucket(bucket));
            }
            paths.add(ZkLayout.run(runId));
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += MAX_OPS) {
            List<String> part = paths.subList(from, Math.min(paths.size(), from + MAX_OPS));
            parts.add(createAll(part));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenRun(() -> {
                    knownBuckets.addAll(newBuckets);
                    made.addAll(runIds);
                });
    }

    /**
     * {@link #prepare} for the runs whose node this admin has not made yet: a shard is sent only
     * once its run's node exists, so that the node keeps the count of its claims ({@link #claimHistory}).
     */
    public CompletableFuture<Void> ensure(Collection<Long> runIds) {
        List<Long> missing = runIds.stream().filter(id -> !made.contains(id)).toList();
        return missing.isEmpty() ? CompletableFuture.completedFuture(null) : prepare(missing);
    }

    private CompletableFuture<Void> createAll(List<String> paths) {
        List<CuratorOp> ops = new ArrayList<>(paths.size());
        try {
            for (String path : paths) {
                ops.add(zookeeper.transactionOp().create().withMode(CreateMode.CONTAINER).forPath(path));
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return async.transaction().forOperations(ops).toCompletableFuture()
                .<Void>thenApply(results -> null)
                .exceptionallyCompose(error -> createEach(paths));
    }

    /** After a refused transaction (a node that exists, a bucket the server removed): one by one, parents made as needed. */
    private CompletableFuture<Void> createEach(List<String> paths) {
        List<CompletableFuture<Void>> each = new ArrayList<>(paths.size());
        for (String path : paths) {
            each.add(async.create().withOptions(java.util.EnumSet.of(org.apache.curator.x.async.api.CreateOption.createParentsAsContainers),
                            CreateMode.CONTAINER).forPath(path).toCompletableFuture()
                    .<Void>thenApply(created -> null)
                    .exceptionally(error -> {
                        if (!(cause(error) instanceof KeeperException.NodeExistsException)) {
                            throw new CompletionException(cause(error));
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
    }

    /** What an attempt's node says now: empty when there is none (never claimed, or its claim vanished). */
    public CompletableFuture<Optional<AttemptNode>> read(long runId, int shard, int attempt) {
        Stat stat = new Stat();
        return async.getData().storingStatIn(stat).forPath(ZkLayout.attempt(runId, shard, attempt)).toCompletableFuture()
                .thenApply(data -> Optional.of(AttemptNode.of(stat, data)))
                .exceptionally(error -> {
                    if (cause(error) instanceof KeeperException.NoNodeException) {
                        return Optional.empty();
                    }
                    throw new CompletionException(cause(error));
                });
    }

    /**
     * Writes the leader's verdict "lost" as the attempt's result, unless its node exists. A holder
     * whose claim expired may still record its handler's result on a later session, but only where
     * the attempt has no node; so once this returns true the attempt cannot end differently, and the
     * next attempt can never run beside a late-recorded one. False: the attempt has a node (a claim
     * or a result), to be read and followed instead.
     */
    public CompletableFuture<Boolean> markLost(ShardResult verdict) {
        String path = ZkLayout.attempt(verdict.runId(), verdict.shardIndex(), verdict.attempt());
        return async.create().withOptions(EnumSet.of(CreateOption.createParentsAsContainers), CreateMode.PERSISTENT)
                .forPath(path, WireCodec.encode(verdict)).toCompletableFuture()
                .thenApply(created -> true)
                .exceptionally(error -> {
                    if (cause(error) instanceof KeeperException.NodeExistsException) {
                        return false;
                    }
                    throw new CompletionException(cause(error));
                });
    }

    /** What a run node's history says about an attempt whose node is not there. */
    public enum ClaimHistory {
        /** No claim of this run ever ended without a result: the attempt was never claimed. */
        NEVER_CLAIMED,
        /** A claim of this run (maybe of this attempt) ended without a result: the attempt may have run. */
        CLAIM_LOST,
        /** The run's nodes changed while they were read: ask again later. */
        UNSETTLED
    }

    /**
     * Whether an attempt that has no node now may have had a claim that vanished (its holder died,
     * its session expired, or it gave the claim back). ZooKeeper keeps no trace of a deleted node,
     * but its parent's {@code cversion} counts every create and delete of a child: a held claim
     * accounts for 1, a result for 3 (claim made, claim deleted, result made in one transaction),
     * so any remainder is a claim that ended without a result, of some attempt of the run. Read
     * after the attempt itself was found missing, so a claim made before that read is counted.
     *
     * <p>A run node that is not there was removed by the server as an empty container after its
     * claims vanished, when this admin had made it ({@link #ensure}); otherwise it may never have
     * been made, and the executor's session decides: while the member node {@code registration}
     * lives, a claim of that session cannot have vanished with it.
     */
    public CompletableFuture<ClaimHistory> claimHistory(long runId, String registration) {
        String run = ZkLayout.run(runId);
        // The run node's stat is read on its own before and after its children: the async getChildren does not fill
        // a stat passed with storingStatIn, and an unchanged cversion around the reads is what makes them one picture.
        return async.checkExists().forPath(run).toCompletableFuture()
                .thenCompose(before -> before == null
                        ? CompletableFuture.failedFuture(new KeeperException.NoNodeException(run))
                        : async.getChildren().forPath(run).toCompletableFuture().thenCompose(children -> {
                            List<CompletableFuture<Stat>> stats = new ArrayList<>(children.size());
                            for (String child : children) {
                                stats.add(async.checkExists().forPath(run + "/" + child).toCompletableFuture());
                            }
                            return CompletableFuture.allOf(stats.toArray(CompletableFuture[]::new))
                                    .thenCompose(all -> async.checkExists().forPath(run).toCompletableFuture())
                                    .thenApply(after -> history(before, after,
                                            stats.stream().map(CompletableFuture::join).toList()));
                        }))
                .exceptionallyCompose(error -> {
                    if (!(cause(error) instanceof KeeperException.NoNodeException)) {
                        return CompletableFuture.failedFuture(cause(error));
                    }
                    if (made.contains(runId) || registration == null) {
                        // Made here, so it had claims before the server removed it as an empty container.
                        return CompletableFuture.completedFuture(ClaimHistory.CLAIM_LOST);
                    }
                    return async.checkExists().forPath(registration).toCompletableFuture()
                            .thenApply(member -> member == null ? ClaimHistory.CLAIM_LOST : ClaimHistory.NEVER_CLAIMED);
                });
    }

    private static ClaimHistory history(Stat before, Stat after, List<Stat> children) {
        if (after == null || after.getCversion() != before.getCversion() || children.contains(null)) {
            return ClaimHistory.UNSETTLED;
        }
        long explained = 0;
        for (Stat child : children) {
            explained += child.getEphemeralOwner() != 0 ? 1 : 3;
        }
        return before.getCversion() == explained ? ClaimHistory.NEVER_CLAIMED : ClaimHistory.CLAIM_LOST;
    }

    /** {@link #deleteRuns(Map)} with every run's attempt nodes to be listed first. */
    public CompletableFuture<Integer> deleteRuns(Collection<Long> runIds) {
        java.util.Map<Long, List<String>> unknown = new java.util.HashMap<>();
        runIds.forEach(id -> unknown.put(id, null));
        return deleteRuns(unknown);
    }

    /**
     * Removes these runs' nodes, their attempts' nodes first, in transactions of many runs. Where
     * the caller knows a run's attempt nodes (the value), they are not listed first; null lists them.
     * A run whose transaction is refused (a node it did not expect) is removed on its own.
     *
     * @return how many runs' nodes are gone
     */
    public CompletableFuture<Integer> deleteRuns(java.util.Map<Long, List<String>> runs) {
        List<CompletableFuture<RunDeletion>> listed = new ArrayList<>();
        for (long runId : new TreeSet<>(runs.keySet())) {
            List<String> known = runs.get(runId);
            if (known != null) {
                listed.add(CompletableFuture.completedFuture(new RunDeletion(runId, known)));
                continue;
            }
            String run = ZkLayout.run(runId);
            listed.add(async.getChildren().forPath(run).toCompletableFuture()
                    .thenApply(children -> new RunDeletion(runId, children))
                    .exceptionally(error -> {
                        if (cause(error) instanceof KeeperException.NoNodeException) {
                            return new RunDeletion(runId, null);
                        }
                        throw new CompletionException(cause(error));
                    }));
        }
        made.removeAll(runs.keySet());
        return CompletableFuture.allOf(listed.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            List<RunDeletion> present = listed.stream().map(CompletableFuture::join).filter(d -> d.children() != null).toList();
            int gone = listed.size() - present.size();
            return deleteInTransactions(present).thenApply(deleted -> gone + deleted);
        });
    }

    private CompletableFuture<Integer> deleteInTransactions(List<RunDeletion> runs) {
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        List<RunDeletion> part = new ArrayList<>();
        int ops = 0;
        for (RunDeletion run : runs) {
            if (ops > 0 && ops + run.ops() > MAX_OPS) {
                parts.add(deleteTogether(List.copyOf(part)));
                part.clear();
                ops = 0;
            }
            part.add(run);
            ops += run.ops();
        }
        if (!part.isEmpty()) {
            parts.add(deleteTogether(part));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(all -> parts.stream().mapToInt(CompletableFuture::join).sum());
    }

    private CompletableFuture<Integer> deleteTogether(List<RunDeletion> runs) {
        List<CuratorOp> ops = new ArrayList<>();
        try {
            for (RunDeletion run : runs) {
                String path = ZkLayout.run(run.runId());
                for (String child : run.children()) {
                    ops.add(zookeeper.transactionOp().delete().forPath(path + "/" + child));
                }
                ops.add(zookeeper.transactionOp().delete().forPath(path));
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        if (ops.size() > MAX_OPS) {
            return deleteEach(runs);
        }
        return async.transaction().forOperations(ops).toCompletableFuture()
                .thenApply(results -> runs.size())
                .exceptionallyCompose(error -> deleteEach(runs));
    }

    private CompletableFuture<Integer> deleteEach(List<RunDeletion> runs) {
        List<CompletableFuture<Boolean>> each = new ArrayList<>();
        for (RunDeletion run : runs) {
            each.add(async.delete().withOptions(java.util.EnumSet.of(org.apache.curator.x.async.api.DeleteOption.deletingChildrenIfNeeded))
                    .forPath(ZkLayout.run(run.runId())).toCompletableFuture()
                    .thenApply(done -> true)
                    .exceptionally(error -> {
                        if (cause(error) instanceof KeeperException.NoNodeException) {
                            return true;
                        }
                        log.debug("Could not remove the nodes of run {} now: {}", run.runId(), cause(error).toString());
                        return false;
                    }));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(all -> (int) each.stream().filter(CompletableFuture::join).count());
    }

    /**
     * Of these runs, those with any attempt node: a shard of theirs was claimed, so the run was sent
     * (and may run or have finished) even if the database does not say so yet.
     */
    public CompletableFuture<java.util.Set<Long>> withAttempts(Collection<Long> runIds) {
        java.util.Set<Long> attempted = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (long runId : runIds) {
            reads.add(async.getChildren().forPath(ZkLayout.run(runId)).toCompletableFuture()
                    .<Void>thenApply(children -> {
                        if (children.stream().anyMatch(name -> ZkLayout.parseAttemptName(runId, name).isPresent())) {
                            attempted.add(runId);
                        }
                        return null;
                    })
                    .exceptionally(error -> {
                        if (cause(error) instanceof KeeperException.NoNodeException) {
                            return null;
                        }
                        throw new CompletionException(cause(error));
                    }));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(all -> attempted);
    }

    /** The buckets under {@code /runs}, lowest first. */
    public CompletableFuture<List<Long>> buckets() {
        return children(ZkLayout.RUNS);
    }

    /** The runs with nodes in one bucket, lowest first. */
    public CompletableFuture<List<Long>> runsIn(long bucket) {
        return children(ZkLayout.bucket(bucket));
    }

    private CompletableFuture<List<Long>> children(String path) {
        return async.getChildren().forPath(path).toCompletableFuture()
                .thenApply(names -> {
                    List<Long> ids = new ArrayList<>(names.size());
                    for (String name : names) {
                        try {
                            ids.add(Long.parseLong(name));
                        } catch (NumberFormatException notOurs) {
                            // Not a bucket or run of ours.
                        }
                    }
                    ids.sort(Long::compare);
                    return ids;
                })
                .exceptionally(error -> {
                    if (cause(error) instanceof KeeperException.NoNodeException) {
                        return List.of();
                    }
                    throw new CompletionException(cause(error));
                });
    }

    private record RunDeletion(long runId, List<String> children) {
        int ops() {
            return children.size() + 1;
        }
    }

    static Throwable cause(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
