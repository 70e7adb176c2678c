package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.cluster.LeaderElection;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.ShardResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scheduling engine as the rest of the admin sees it. It runs only while this admin leads:
 * each term of leadership is a fresh {@link EngineSession}, started when leadership is gained and
 * stopped, before anything else, when it is lost.
 */
public final class SchedulingEngine implements LeaderElection.Leadership, ExecutorDirectory.Listener, Closeable {

    private static final Logger log = LoggerFactory.getLogger(SchedulingEngine.class);

    private final EngineContext context;
    private final AtomicReference<EngineSession> session = new AtomicReference<>();

    public SchedulingEngine(io.tessera.admin.store.JobStore jobs, io.tessera.admin.store.RunStore runs,
                            ExecutorDirectory directory, io.tessera.admin.dispatch.ExecutorClient executors,
                            org.apache.curator.framework.CuratorFramework zookeeper, EngineSettings settings,
                            EngineHealth health, java.time.Clock clock, java.util.function.Supplier<String> resultUrl) {
        this.context = new EngineContext(jobs, runs, directory, executors, new RunNodes(zookeeper), settings, health, clock,
                resultUrl);
        directory.addListener(this);
    }

    @Override
    public void gained() {
        EngineSession fresh = new EngineSession(context);
        EngineSession previous = session.getAndSet(fresh);
        if (previous != null) {
            previous.stop();
        }
        fresh.start();
    }

    @Override
    public void lost() {
        EngineSession previous = session.getAndSet(null);
        if (previous != null) {
            previous.stop();
            log.info("Scheduling stopped: leadership lost");
        }
        context.health().set(EngineHealth.Mode.FOLLOWER, "not the leader");
    }

    public boolean isLeading() {
        return session.get() != null;
    }

    public EngineHealth health() {
        return context.health();
    }

    /** A result this admin has just recorded; the leader applies it at once. */
    public void resultRecorded(ShardResult result) {
        EngineSession current = session.get();
        if (current != null) {
            current.post(() -> current.applyResult(result, false));
        }
    }

    /** A run this admin just recorded (a manual or API trigger): fire it now. */
    public void launch(io.tessera.core.model.JobRun run) {
        EngineSession current = session.get();
        if (current != null) {
            current.post(() -> current.launch(java.util.List.of(run)));
        }
    }

    /** Another admin changed jobs. */
    public void jobsChanged() {
        EngineSession current = session.get();
        if (current != null) {
            current.post(current::reloadJobsSoon);
        }
    }

    /** Another admin recorded triggers, results or cancels. */
    public void runsChanged() {
        EngineSession current = session.get();
        if (current != null) {
            current.post(current::reconcileSoon);
        }
    }

    /** Cancels a run this leader drives; completes with false when it does not drive it. */
    public CompletableFuture<Boolean> cancel(long runId, String reason) {
        EngineSession current = session.get();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (current == null) {
            done.complete(false);
            return done;
        }
        current.post(() -> done.complete(current.cancel(runId, reason)));
        return done;
    }

    @Override
    public void joined(ExecutorCard card) {
        EngineSession current = session.get();
        if (current != null) {
            current.post(() -> current.executorJoined(card));
        }
    }

    @Override
    public void left(ExecutorCard card) {
        EngineSession current = session.get();
        if (current != null) {
            current.post(() -> current.executorLeft(card));
        }
    }

    @Override
    public void close() {
        lost();
    }
}
