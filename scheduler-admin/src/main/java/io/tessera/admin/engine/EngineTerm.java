package io.tessera.admin.engine;

import io.tessera.admin.dispatch.TriggerDispatcher;
import io.tessera.admin.fire.FirePlanner;
import io.tessera.admin.fire.FireTimer;
import io.tessera.admin.place.DeviceLedger;
import io.tessera.admin.place.PortAllocator;
import io.tessera.admin.place.ShardPlacer;
import io.tessera.admin.reconcile.NodeJanitor;
import io.tessera.admin.record.RunWriter;
import io.tessera.admin.store.RunChange;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.RoutingStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One term of leadership: everything the leader schedules, from the moment it wins the election
 * to the moment it loses it. All state lives on one thread ({@code tessera-engine}); the database
 * is read and written off it ({@code tessera-engine-io}, the run writer), and ZooKeeper and HTTP
 * answers come back to it as posted events, so no state is shared, nothing needs a lock, and the
 * engine thread never waits for I/O. A new term starts from the database and ZooKeeper, never from
 * a previous term's memory.
 *
 * <p>The work is split along the life of a run: {@link Planning} records fires and takes over,
 * {@link Dispatching} places and sends shards and follows the answers, {@link Completion} takes
 * results, retries and finishes runs, {@link Reconciliation} compares memory with the database and
 * ZooKeeper. Every shard moves through {@link ShardState}'s one table.
 */
final class EngineTerm {

    private static final Logger log = LoggerFactory.getLogger(EngineTerm.class);
    static final Duration DB_RETRY = Duration.ofSeconds(1);
    /**
     * How long the writer holds a change that only says where work is in flight (a shard placed, a
     * run started): a shard that finishes sooner is written once, with its result.
     */
    static final Duration IN_FLIGHT_HOLD_BACK = Duration.ofMillis(500);

    final EngineParts parts;
    final EngineSettings settings;
    final RunBook runs = new RunBook();
    final JobBook jobs = new JobBook();
    final FireTimer timer;
    final FirePlanner planner;
    final ShardPlacer placer;
    final PortAllocator ports;
    final RunWriter writer;
    final TriggerDispatcher dispatcher;
    final NodeJanitor janitor;
    final Planning planning;
    final Dispatching dispatching;
    final Completion completion;
    final Reconciliation reconciliation;
    final LoadWatch load;
    final QuotaBook quotas;
    final Preempting preempting;
    private final ScheduledExecutorService loop;
    private final ExecutorService io;
    private volatile boolean stopped;
    private final BooleanSupplier withinSession;
    private boolean outOfContact;
    /** Questions asked from other threads and not answered yet: the end of the term answers them. */
    private final java.util.Set<java.util.concurrent.CompletableFuture<?>> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private String pausedFor;
    private String overloadedFor;
    private boolean began;

    EngineTerm(EngineParts parts, BooleanSupplier withinSession) {
        this.parts = parts;
        this.withinSession = withinSession;
        this.settings = parts.settings();
        this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> named(runnable, "tessera-engine"));
        this.io = Executors.newSingleThreadExecutor(runnable -> named(runnable, "tessera-engine-io"));
        this.timer = new FireTimer(loop, () -> parts.clock().millis(), this::onDue);
        this.planner = new FirePlanner(settings.lookAhead(), settings.misfireThreshold(), settings.catchUpLimit(), this::shardCount);
        this.placer = new ShardPlacer(parts.directory(), new DeviceLedger(), settings.placement());
        this.ports = new PortAllocator(settings.rendezvousBasePort(), settings.rendezvousPortCount());
        this.writer = new RunWriter(parts.runs(), new WriterHealth(), parts.clock(), IN_FLIGHT_HOLD_BACK);
        this.dispatcher = new TriggerDispatcher(parts.executors(), settings.maxBatchesInFlight(),
                this::answered);
        this.janitor = new NodeJanitor(parts.nodes(), parts.runs(), settings.finishedRunRetention(), parts.clock());
        this.planning = new Planning(this);
        this.dispatching = new Dispatching(this);
        this.completion = new Completion(this);
        this.reconciliation = new Reconciliation(this);
        this.load = new LoadWatch(this);
        java.util.Map<String, io.tessera.core.placement.QueueQuota> byQueue = new java.util.HashMap<>();
        settings.quotas().forEach(quota -> byQueue.put(quota.queue(), quota));
        this.quotas = new QuotaBook(byQueue, parts.directory()::byId);
        this.preempting = new Preempting(this);
    }

    private void onDue(java.util.List<Long> runIds) {
        guarded(() -> planning.onDue(runIds));
    }

    /** A trigger batch was answered, on the HTTP client's thread: its replies are handled on the engine thread. */
    private void answered(String address, java.util.List<io.tessera.core.wire.TriggerRequest> sent,
                          io.tessera.core.wire.TriggerBatchReply reply, Throwable error) {
        post(() -> dispatching.answered(address, sent, reply, error));
    }

    private static Thread named(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    // ---------------------------------------------------------------- lifecycle

    void start() {
        post(planning::takeOver);
    }

    /** Called once the term has taken over: the periodic work starts. */
    void began() {
        began = true;
        refreshHealth();
        long planEvery = Math.max(10, settings.planInterval().toMillis());
        every(planEvery, planEvery, planning::plan);
        every(settings.reconcileInterval().toMillis(), settings.reconcileInterval().toMillis(), reconciliation::reconcile);
        every(1000, 1000, dispatching::drainWaiting);
        every(1000, 1000, load::check);
    }

    private void every(long initialMillis, long periodMillis, Runnable work) {
        loop.scheduleWithFixedDelay(() -> guarded(work), initialMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops scheduling at once; what runs on executors goes on and is picked up by the next leader. */
    void stop() {
        stopped = true;
        loop.shutdownNow();
        asked.forEach(answer -> answer.cancel(false));
        io.shutdownNow();
        janitor.close();
        writer.close(Duration.ofSeconds(5));
        try {
            if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The engine thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the engine thread

    /** Runs an event on the engine thread. A failing event is logged; the engine goes on. */
    void post(Runnable event) {
        if (stopped) {
            return;
        }
        try {
            loop.execute(() -> guarded(event));
        } catch (RejectedExecutionException e) {
            // Stopped meanwhile.
        }
    }

    /**
     * Asks the engine thread something from another thread. The answer is cancelled when the term
     * ends before it is given (an event posted to an ending term is dropped), so no caller waits for
     * a term that is gone.
     */
    <T> java.util.concurrent.CompletableFuture<T> ask(java.util.function.Supplier<T> question) {
        java.util.concurrent.CompletableFuture<T> answer = new java.util.concurrent.CompletableFuture<>();
        asked.add(answer);
        answer.whenComplete((value, error) -> asked.remove(answer));
        if (stopped) {
            answer.cancel(false);
            return answer;
        }
        try {
            loop.execute(() -> {
                if (stopped) {
                    answer.cancel(false);
                    return;
                }
                try {
                    answer.complete(question.get());
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            answer.cancel(false);
        }
        return answer;
    }

    void later(Duration delay, Runnable event) {
        if (stopped) {
            return;
        }
        try {
            loop.schedule(() -> guarded(event), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopped meanwhile.
        }
    }

    /**
     * Runs blocking work (the database) on the term's I/O thread, in order, and hands its result
     * back to the engine thread. A database failure pauses scheduling before {@code failed} runs.
     */
    <T> void io(Callable<T> work, Consumer<T> then, Consumer<RuntimeException> failed) {
        if (stopped) {
            return;
        }
        try {
            io.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    RuntimeException error = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                    post(() -> {
                        if (DatabaseFailures.isDatabaseFailure(error)) {
                            pause("database unavailable: " + DatabaseFailures.rootMessage(error));
                        }
                        failed.accept(error);
                    });
                    return;
                }
                post(() -> then.accept(result));
            });
        } catch (RejectedExecutionException e) {
            // Stopped meanwhile.
        }
    }

    private void guarded(Runnable event) {
        if (stopped) {
            return;
        }
        if (!withinSession.getAsBoolean()) {
            // Frozen or cut off past the session timeout: another admin may lead. The election ends this term.
            if (!outOfContact) {
                outOfContact = true;
                log.warn("No answer from ZooKeeper for longer than the session timeout: the engine does nothing more"
                        + " in this term");
            }
            return;
        }
        try {
            event.run();
        } catch (RuntimeException e) {
            if (DatabaseFailures.isDatabaseFailure(e)) {
                pause("database unavailable: " + DatabaseFailures.rootMessage(e));
            } else {
                log.error("Engine event failed; the engine goes on", e);
            }
        }
    }

    Instant now() {
        return parts.clock().instant();
    }

    boolean stopped() {
        return stopped;
    }

    // ---------------------------------------------------------------- health

    void pause(String reason) {
        if (pausedFor == null) {
            log.warn("Scheduling paused: {}. It resumes by itself.", reason);
        }
        pausedFor = reason;
        refreshHealth();
    }

    /** The database answers again. */
    void healthy() {
        if (pausedFor != null) {
            log.info("Scheduling resumed");
            pausedFor = null;
        }
        refreshHealth();
    }

    void overloaded(String reason) {
        if (overloadedFor == null && reason != null) {
            log.warn("The engine is overloaded: {}", reason);
        } else if (overloadedFor != null && reason == null) {
            log.info("The engine keeps up again");
        }
        overloadedFor = reason;
        refreshHealth();
    }

    private void refreshHealth() {
        if (!began) {
            return;
        }
        if (pausedFor != null) {
            parts.health().set(EngineHealth.Mode.PAUSED, pausedFor);
        } else if (overloadedFor != null) {
            parts.health().set(EngineHealth.Mode.OVERLOADED, overloadedFor);
        } else {
            parts.health().set(EngineHealth.Mode.SCHEDULING, "leading");
        }
    }

    boolean writable() {
        return writer.healthy();
    }

    /** How many shards a new run of the job has: broadcast jobs get one per live executor of the group. */
    int shardCount(JobDefinition job) {
        return job.routing() == RoutingStrategy.SHARDING_BROADCAST
                ? Math.max(1, parts.directory().group(job.group()).size())
                : job.shardCount();
    }

    /** The run writer's news, brought to the engine thread. */
    private final class WriterHealth implements RunWriter.Listener {
        @Override
        public void failing(Throwable error) {
            post(() -> pause("database unavailable: " + DatabaseFailures.rootMessage(error)));
        }

        @Override
        public void recovered() {
            post(EngineTerm.this::healthy);
        }

        @Override
        public void skipped(RunChange change, Throwable error) {
            post(() -> load.skipped(change, error));
        }
    }
}
