package io.tessera.admin.engine;

import io.tessera.admin.cluster.AdminNode;
import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.dispatch.ExecutorClient;
import io.tessera.admin.reconcile.RunNodes;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobRun;
import io.tessera.core.wire.ShardResult;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The scheduling engine as the rest of the admin sees it. It runs only while this admin leads:
 * each term of leadership is a fresh {@link EngineTerm}, started when leadership is gained and
 * stopped, before anything else, when it is lost.
 */
public final class SchedulingEngine implements AdminNode.Role, ExecutorDirectory.Listener {

    private static final Logger log = LoggerFactory.getLogger(SchedulingEngine.class);

    private final EngineParts parts;
    private final AtomicReference<EngineTerm> term = new AtomicReference<>();

    public SchedulingEngine(JobStore jobs, RunStore runs, ExecutorDirectory directory, ExecutorClient executors,
                            CuratorFramework zookeeper, EngineSettings settings, EngineHealth health, Clock clock,
                            Supplier<String> resultUrl) {
        this.parts = new EngineParts(jobs, runs, directory, executors, new RunNodes(zookeeper), settings, health, clock, resultUrl);
        directory.addListener(this);
    }

    @Override
    public void gained() {
        gained(() -> true);
    }

    @Override
    public void gained(BooleanSupplier withinSession) {
        EngineTerm fresh = new EngineTerm(parts, withinSession);
        EngineTerm previous = term.getAndSet(fresh);
        if (previous != null) {
            previous.stop();
        }
        fresh.start();
    }

    @Override
    public void lost() {
        EngineTerm previous = term.getAndSet(null);
        if (previous != null) {
            previous.stop();
            log.info("Scheduling stopped: leadership lost");
        }
        parts.health().set(EngineHealth.Mode.FOLLOWER, "not the leader");
    }

    public boolean isLeading() {
        return term.get() != null;
    }

    public EngineHealth health() {
        return parts.health();
    }

    /** Results this admin has just stored; the leader applies them at once, as one event. */
    void resultsRecorded(List<ShardResult> results) {
        EngineTerm current = term.get();
        if (current != null) {
            current.post(() -> current.completion.applyResults(results, false));
        }
    }

    /** A run this admin just recorded (a manual or API trigger): fire it now. */
    public void launch(JobRun run) {
        EngineTerm current = term.get();
        if (current != null) {
            current.post(() -> current.planning.adopt(run));
        }
    }

    /** Another admin changed jobs. */
    @Override
    public void jobsChanged() {
        EngineTerm current = term.get();
        if (current != null) {
            current.post(current.planning::reloadSoon);
        }
    }

    /** Another admin recorded triggers, results or cancels. */
    @Override
    public void runsChanged() {
        EngineTerm current = term.get();
        if (current != null) {
            current.post(current.reconciliation::reconcileSoon);
        }
    }

    /**
     * Cancels a run this leader drives; completes with false when it does not drive it, and is
     * cancelled when the term ends before it could answer.
     */
    public CompletableFuture<Boolean> cancel(long runId, String reason) {
        EngineTerm current = term.get();
        if (current == null) {
            return CompletableFuture.completedFuture(false);
        }
        return current.ask(() -> current.completion.cancel(runId, reason));
    }

    /**
     * The quota queues and the devices each uses now, as this leader counts them; empty when this
     * admin does not lead (only the leader counts).
     */
    public CompletableFuture<java.util.Optional<List<QueueUsage>>> quotaUsage() {
        EngineTerm current = term.get();
        if (current == null) {
            return CompletableFuture.completedFuture(java.util.Optional.empty());
        }
        return current.ask(() -> java.util.Optional.of(current.quotas.usage()));
    }

    /** The quotas configured here, whether or not this admin leads. */
    public List<io.tessera.core.placement.QueueQuota> quotas() {
        return parts.settings().quotas();
    }

    @Override
    public void joined(ExecutorCard card) {
        EngineTerm current = term.get();
        if (current != null) {
            current.post(() -> current.reconciliation.executorJoined(card));
        }
    }

    @Override
    public void left(ExecutorCard card) {
        EngineTerm current = term.get();
        if (current != null) {
            current.post(() -> current.reconciliation.executorLeft(card));
        }
    }

    @Override
    public void close() {
        lost();
    }
}
