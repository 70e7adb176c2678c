package io.tessera.admin.engine;

import io.tessera.admin.store.RunStore.NewRun;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.placement.ClusterSnapshot;
import io.tessera.core.placement.PlacementRequest;
import io.tessera.core.placement.PlacementResult;
import io.tessera.core.placement.Placer;
import io.tessera.core.placement.ShardPlacement;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One term of leadership: everything the leader schedules, from the moment it wins the election to
 * the moment it loses it. All state lives on one thread ({@code tessera-engine}); ZooKeeper and
 * HTTP answers come back to it as posted events, so no state is shared and nothing needs a lock.
 * A new term starts from the database and ZooKeeper, never from a previous term's memory.
 */
final class EngineSession {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
    private static final Duration DB_RETRY = Duration.ofSeconds(1);

    private final EngineContext ctx;
    private final EngineSettings settings;
    private final ScheduledExecutorService loop;
    private final ScheduledExecutorService janitor;
    private final FireTimer timer;
    private final FirePlanner planner;
    private final Map<Long, JobRun> scheduled = new HashMap<>();
    private final Map<Long, ActiveRun> active = new HashMap<>();
    private final LinkedHashMap<Long, ActiveRun> waiting = new LinkedHashMap<>();
    private final Map<Long, Long> sequences = new HashMap<>();
    private final DeviceLedger ledger = new DeviceLedger();
    private final PortAllocator ports;
    private final EngineWriter writer;
    private volatile boolean stopped;
    private boolean began;
    private boolean drainQueued;
    private boolean reconcileQueued;
    private boolean reloadQueued;
    /** Runs this term finished, so reconciliation does not take them over again before their status is written. */
    private final Set<Long> finishedThisTerm = java.util.Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > 100_000;
        }
    });

    EngineSession(EngineContext ctx) {
        this.ctx = ctx;
        this.settings = ctx.settings();
        this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> named(runnable, "tessera-engine"));
        this.janitor = Executors.newSingleThreadScheduledExecutor(runnable -> named(runnable, "tessera-engine-janitor"));
        this.timer = new FireTimer(loop, () -> ctx.clock().millis(), this::onDue);
        this.planner = new FirePlanner(ctx);
        this.ports = new PortAllocator(settings.rendezvousBasePort(), settings.rendezvousPortCount());
        this.writer = new EngineWriter(ctx.runs(),
                error -> pause("database unavailable: " + rootMessage(error)),
                () -> post(this::healthy));
    }

    private static Thread named(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    // ---------------------------------------------------------------- lifecycle and events

    void start() {
        post(this::begin);
    }

    /** Stops scheduling at once; what runs on executors goes on and is picked up by the next leader. */
    void stop() {
        stopped = true;
        loop.shutdownNow();
        janitor.shutdownNow();
        writer.close(Duration.ofSeconds(5));
        try {
            if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The engine thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs an event on the engine thread. A failing event is logged; the engine goes on. */
    void post(Runnable event) {
        if (stopped) {
            return;
        }
        try {
            loop.execute(() -> guarded(event));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopped meanwhile.
        }
    }

    private void later(Duration delay, Runnable event) {
        if (stopped) {
            return;
        }
        try {
            loop.schedule(() -> guarded(event), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopped meanwhile.
        }
    }

    private void guarded(Runnable event) {
        if (stopped) {
            return;
        }
        try {
            event.run();
        } catch (RuntimeException e) {
            if (isDatabaseFailure(e)) {
                pause("database unavailable: " + rootMessage(e));
            } else {
                log.error("Engine event failed; the engine goes on", e);
            }
        }
    }

    private static boolean isDatabaseFailure(Throwable e) {
        return DatabaseFailures.isDatabaseFailure(e);
    }

    private static String rootMessage(Throwable e) {
        return DatabaseFailures.rootMessage(e);
    }

    private void pause(String reason) {
        if (ctx.health().status().mode() != EngineHealth.Mode.PAUSED) {
            log.warn("Scheduling paused: {}. It resumes by itself.", reason);
        }
        ctx.health().set(EngineHealth.Mode.PAUSED, reason);
    }

    private void healthy() {
        if (ctx.health().status().mode() != EngineHealth.Mode.SCHEDULING) {
            log.info("Scheduling {}", began ? "resumed" : "started");
            ctx.health().set(EngineHealth.Mode.SCHEDULING, "leading");
        }
    }

    private Instant now() {
        return ctx.clock().instant();
    }

    // ---------------------------------------------------------------- start of term

    private void begin() {
        try {
            ctx.directory().awaitInitialized(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            ctx.nodes().ensureRoot();
        } catch (Exception e) {
            log.warn("Cannot create {} in ZooKeeper now ({}); executors create run nodes themselves", ZkLayout.RUNS, e.toString());
        }
        try {
            Map<Long, List<JobRun>> missedRecorded = adoptOpenRuns();
            Map<Long, Integer> missedUnrecorded = reloadJobs();
            missedRecorded.forEach((jobId, runs) -> applyMisfirePolicy(jobId, runs, missedUnrecorded.getOrDefault(jobId, 0)));
        } catch (RuntimeException e) {
            if (!isDatabaseFailure(e)) {
                throw e;
            }
            pause("database unavailable: " + rootMessage(e));
            later(DB_RETRY, this::begin);
            return;
        }
        healthy();
        began = true;
        ctx.directory().all().forEach(this::probe);
        long planEvery = Math.max(10, settings.planInterval().toMillis());
        loop.scheduleWithFixedDelay(() -> guarded(this::plan), 0, planEvery, TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(() -> guarded(this::reconcile), settings.reconcileInterval().toMillis(),
                settings.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(() -> guarded(this::drainWaiting), 1000, 1000, TimeUnit.MILLISECONDS);
        log.info("Engine started: {} scheduled job(s), {} open run(s)", planner.scheduledJobs(), active.size() + scheduled.size());
    }

    /**
     * Reloads the scheduled jobs: new and changed ones start after their misfire policy; fires
     * already recorded for jobs no longer scheduled are cancelled.
     *
     * @return per job, how many missed fire times this fired now
     */
    Map<Long, Integer> reloadJobs() {
        FirePlanner.Reload reload = planner.reload(now());
        reload.dropped().forEach(jobId -> cancelFutureFires(jobId, "job disabled or deleted before this fire"));
        launch(reload.missedFired());
        return reload.firedNow();
    }

    private void cancelFutureFires(long jobId, String why) {
        List<JobRun> dropped = scheduled.values().stream().filter(run -> run.jobId() == jobId).toList();
        for (JobRun run : dropped) {
            scheduled.remove(run.id());
            timer.remove(run.id());
            writer.run(run.id(), RunStatus.CANCELLED, run.attempt(), null, now(), why);
        }
    }

    /** Takes over the open runs; returns, per job, recorded fires that were missed (not yet handled). */
    private Map<Long, List<JobRun>> adoptOpenRuns() {
        Map<Long, List<JobRun>> misfired = new HashMap<>();
        Instant missedBefore = now().minus(settings.misfireThreshold());
        List<JobRun> open = ctx.runs().listOpen().stream()
                .filter(run -> !active.containsKey(run.id()) && !scheduled.containsKey(run.id())).toList();
        Map<Long, List<ShardRun>> shards = shardsOfStarted(open);
        for (JobRun run : open) {
            if (run.status() == RunStatus.PENDING && FirePlanner.isScheduledKind(run.trigger()) && run.scheduledAt().isBefore(missedBefore)) {
                misfired.computeIfAbsent(run.jobId(), id -> new ArrayList<>()).add(run);
            } else {
                adopt(run, shards.get(run.id()));
            }
        }
        return misfired;
    }

    /** The shards of the WAITING and RUNNING runs among these, in one batched read rather than one per run. */
    private Map<Long, List<ShardRun>> shardsOfStarted(List<JobRun> runs) {
        List<Long> started = runs.stream()
                .filter(run -> run.status() == RunStatus.WAITING || run.status() == RunStatus.RUNNING)
                .map(JobRun::id).toList();
        return started.isEmpty() ? Map.of() : ctx.runs().shardsOf(started);
    }

    /**
     * Recorded fires that nobody fired in time (the previous leader died first). They and the
     * unrecorded missed fires of the same job are one set for the policy: FIRE_ONCE fires one of
     * them all, CATCH_UP at most the limit, newest first.
     *
     * @param alreadyFired how many of the job's unrecorded missed fires were fired already
     */
    private void applyMisfirePolicy(long jobId, List<JobRun> runs, int alreadyFired) {
        Optional<JobDefinition> job = job(jobId);
        runs.sort(Comparator.comparing(JobRun::scheduledAt));
        MisfirePolicy policy = job.map(JobDefinition::misfire).orElse(MisfirePolicy.SKIP);
        int keep = switch (policy) {
            case SKIP -> 0;
            case FIRE_ONCE -> alreadyFired > 0 ? 0 : 1;
            case CATCH_UP -> Math.max(0, Math.min(settings.catchUpLimit() - alreadyFired, runs.size()));
        };
        List<JobRun> fire = runs.subList(runs.size() - keep, runs.size());
        for (JobRun run : runs.subList(0, runs.size() - keep)) {
            log.info("Run {} of job {} (due {}) was missed and is not fired (misfire policy {})", run.id(), jobId,
                    run.scheduledAt(), policy);
            writer.run(run.id(), RunStatus.CANCELLED, run.attempt(), null, now(),
                    "missed: not fired within " + settings.misfireThreshold().toSeconds() + " s (misfire policy " + policy + ")");
        }
        if (runs.size() > keep) {
            log.info("Job {}: {} recorded fire(s) were missed and skipped (misfire policy {})", jobId, runs.size() - keep, policy);
        }
        fire.forEach(this::adopt);
    }

    private void adopt(JobRun run) {
        adopt(run, null);
    }

    /** @param shards the run's shards if already read, null to read them here when needed */
    private void adopt(JobRun run, List<ShardRun> shards) {
        if (finishedThisTerm.contains(run.id())) {
            return;
        }
        log.info("Taking over run {} of job {} ({}, due {})", run.id(), run.jobId(), run.status(), run.scheduledAt());
        Optional<JobDefinition> job = job(run.jobId());
        if (job.isEmpty()) {
            writer.run(run.id(), RunStatus.FAILED, run.attempt(), null, now(), "the job was deleted");
            return;
        }
        switch (run.status()) {
            case PENDING -> {
                if (run.scheduledAt().isAfter(now())) {
                    scheduled.put(run.id(), run);
                    timer.add(run.id(), dispatchAt(run));
                } else {
                    launch(List.of(run));
                }
            }
            case WAITING, RUNNING -> {
                ActiveRun ar = new ActiveRun(run, job.get(), shards != null ? shards : ctx.runs().shards(run.id()));
                active.put(ar.id(), ar);
                if (ar.allTerminal()) {
                    // Every shard's result was recorded (by any admin) but the run was not closed: close it now.
                    finishRun(ar, ar.outcome(), summary(ar));
                    return;
                }
                for (ActiveRun.Shard shard : ar.shards) {
                    if (shard.status == RunStatus.RUNNING && shard.executorId != null) {
                        Optional<ExecutorCard> card = ctx.directory().byId(shard.executorId);
                        if (card.isPresent()) {
                            shard.address = card.get().address();
                            ledger.hold(shard.executorId, shard.devices);
                            shard.holding = true;
                        }
                        // Executors that are gone are found by reconciliation: no claim, so re-placed.
                        shard.dispatchedAt = Instant.EPOCH;
                    }
                }
                if (!ar.shardsIn(RunStatus.PENDING).isEmpty()) {
                    ar.waitingSince = run.createdAt() == null ? now() : run.createdAt();
                    waiting.put(ar.id(), ar);
                }
                reconcileSoon();
            }
            default -> {
                // Terminal runs are not adopted.
            }
        }
    }

    // ---------------------------------------------------------------- planning fires ahead

    /** Records the fires due within the look-ahead and arms the timer for them. */
    private void plan() {
        Instant now = now();
        List<JobRun> inserted = planner.plan(now);
        if (inserted.isEmpty()) {
            return;
        }
        healthy();
        List<JobRun> overdue = new ArrayList<>();
        for (JobRun run : inserted) {
            if (run.scheduledAt().isAfter(now)) {
                scheduled.put(run.id(), run);
                timer.add(run.id(), dispatchAt(run));
                ctx.nodes().prepare(run.id(), run.shardTotal()).exceptionally(error -> null);
            } else {
                overdue.add(run);
            }
        }
        launch(overdue);
    }

    /** When to place and send a scheduled run: a little before its fire time, so that it starts on time. */
    private long dispatchAt(JobRun run) {
        return run.scheduledAt().toEpochMilli() - settings.dispatchLead().toMillis();
    }

    private Optional<JobDefinition> job(long jobId) {
        return planner.job(jobId);
    }

    // ---------------------------------------------------------------- firing and placing

    private void onDue(List<Long> runIds) {
        List<JobRun> runs = new ArrayList<>(runIds.size());
        for (Long id : runIds) {
            JobRun run = scheduled.remove(id);
            if (run != null) {
                runs.add(run);
            }
        }
        guarded(() -> launch(runs));
    }

    /** Starts recorded runs: places their shards and dispatches them. */
    void launch(List<JobRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        List<ActiveRun> toPlace = new ArrayList<>(runs.size());
        for (JobRun run : runs) {
            if (active.containsKey(run.id())) {
                continue;
            }
            Optional<JobDefinition> job = job(run.jobId());
            if (job.isEmpty()) {
                writer.run(run.id(), RunStatus.FAILED, run.attempt(), null, now(), "the job was deleted");
                continue;
            }
            List<ShardRun> rows = new ArrayList<>(run.shardTotal());
            for (int i = 0; i < run.shardTotal(); i++) {
                rows.add(new ShardRun(run.id(), i, RunStatus.PENDING, null, 1, List.of(), null, null, null, null));
            }
            ActiveRun ar = new ActiveRun(run, job.get(), rows);
            active.put(ar.id(), ar);
            toPlace.add(ar);
        }
        place(toPlace);
    }

    /** Places the PENDING shards of these runs, records where they go in one batch, then dispatches them. */
    private void place(List<ActiveRun> runs) {
        if (!writer.healthy()) {
            // The database does not take writes: start nothing new until it does.
            later(Duration.ofSeconds(1), () -> place(runs));
            return;
        }
        Instant now = now();
        List<ShardRun> changed = new ArrayList<>();
        List<ActiveRun> started = new ArrayList<>();
        List<ActiveRun> nowWaiting = new ArrayList<>();
        List<ActiveRun.Shard[]> dispatches = new ArrayList<>();
        Map<ActiveRun, List<ActiveRun.Shard>> placedByRun = new LinkedHashMap<>();
        for (ActiveRun ar : runs) {
            if (ar.cancelled || ar.gangRestarting || !active.containsKey(ar.id())) {
                continue;
            }
            List<Integer> pending = ar.shardsIn(RunStatus.PENDING);
            if (pending.isEmpty()) {
                continue;
            }
            Set<String> refused = new HashSet<>();
            for (int index : pending) {
                refused.addAll(ar.shards[index].refusedBy);
            }
            List<ExecutorCard> group = ctx.directory().group(ar.job.group()).stream()
                    .filter(card -> !refused.contains(card.id()))
                    .toList();
            PlacementRequest request = new PlacementRequest(ar.job.group(), pending, ar.job.accelerators(), ar.job.gang(),
                    ar.job.routing(), settings.placement(), ar.job.name(),
                    sequences.merge(ar.job.id(), 1L, Long::sum));
            PlacementResult result = Placer.place(request, new ClusterSnapshot(group, ledger.busy(), ledger.running()));
            List<ActiveRun.Shard> placed = new ArrayList<>();
            for (ShardPlacement placement : result.placed()) {
                if (placement.shardIndex() >= ar.shards.length || !pending.contains(placement.shardIndex())) {
                    continue;
                }
                ActiveRun.Shard shard = ar.shards[placement.shardIndex()];
                shard.status = RunStatus.RUNNING;
                shard.executorId = placement.executorId();
                shard.address = placement.address();
                shard.devices = placement.devices();
                shard.startedAt = now;
                shard.dispatchedAt = now;
                shard.finishedAt = null;
                shard.exitCode = null;
                shard.message = "";
                shard.holding = true;
                ledger.hold(shard.executorId, shard.devices);
                placed.add(shard);
                changed.add(shard.row(ar.id()));
            }
            if (!placed.isEmpty()) {
                placedByRun.put(ar, placed);
                if (ar.status != RunStatus.RUNNING) {
                    started.add(ar);
                }
            }
            if (result.complete()) {
                waiting.remove(ar.id());
                ar.waitReason = null;
            } else {
                ar.waitReason = result.reason();
                if (ar.waitingSince == null) {
                    ar.waitingSince = now;
                }
                if (!waiting.containsKey(ar.id())) {
                    waiting.put(ar.id(), ar);
                    if (placed.isEmpty() && !ar.anyRunning()) {
                        nowWaiting.add(ar);
                    }
                    log.info("Run {} of job {} waits: {}", ar.id(), ar.job.name(), ar.waitReason);
                }
            }
        }
        // Recorded off the dispatch path, in order; the handler should start within milliseconds of its fire time.
        writer.shards(changed);
        for (ActiveRun ar : started) {
            writer.run(ar.id(), RunStatus.RUNNING, ar.attempt, now, null, "");
        }
        for (ActiveRun ar : nowWaiting) {
            writer.run(ar.id(), RunStatus.WAITING, ar.attempt, null, null, ar.waitReason);
        }
        for (ActiveRun ar : started) {
            ar.status = RunStatus.RUNNING;
        }
        for (ActiveRun ar : nowWaiting) {
            ar.status = RunStatus.WAITING;
        }
        Map<String, List<Dispatch>> byExecutor = new LinkedHashMap<>();
        placedByRun.forEach((ar, shards) -> {
            assignRendezvous(ar);
            for (ActiveRun.Shard shard : shards) {
                byExecutor.computeIfAbsent(shard.address, address -> new ArrayList<>()).add(dispatchOf(ar, shard));
            }
        });
        byExecutor.forEach(this::send);
    }

    private void unplace(ActiveRun.Shard shard) {
        release(shard);
        shard.status = RunStatus.PENDING;
        shard.executorId = null;
        shard.address = null;
        shard.devices = List.of();
        shard.startedAt = null;
    }

    private void release(ActiveRun.Shard shard) {
        if (shard.holding) {
            ledger.release(shard.executorId, shard.devices);
            shard.holding = false;
            scheduleDrain();
        }
    }

    /** Multi-shard runs get shard 0's host and an allotted port as their rendezvous. */
    private void assignRendezvous(ActiveRun ar) {
        if (ar.shards.length < 2 || ar.masterPort > 0) {
            return;
        }
        ActiveRun.Shard first = ar.shards[0];
        if (first.executorId == null) {
            return;
        }
        String host = ctx.directory().byId(first.executorId).map(ExecutorCard::host)
                .orElse(first.address == null ? "127.0.0.1" : first.address.substring(0, first.address.lastIndexOf(':')));
        int port = ports.allot(host);
        if (port > 0) {
            ar.masterHost = host;
            ar.masterPort = port;
        }
    }

    private void releaseRendezvous(ActiveRun ar) {
        if (ar.masterPort > 0) {
            ports.release(ar.masterHost, ar.masterPort);
            ar.masterPort = -1;
            ar.masterHost = null;
        }
    }

    /** One shard's trigger and what it was sent for, so the reply can be matched to the same attempt. */
    private record Dispatch(long runId, int index, int attempt, String executorId, TriggerRequest request) {
    }

    private Dispatch dispatchOf(ActiveRun ar, ActiveRun.Shard shard) {
        TriggerRequest.Rendezvous rendezvous = null;
        if (ar.shards.length > 1 && ar.masterPort > 0) {
            int localRank = 0;
            for (int i = 0; i < shard.index; i++) {
                if (shard.executorId.equals(ar.shards[i].executorId)) {
                    localRank++;
                }
            }
            rendezvous = new TriggerRequest.Rendezvous(ar.masterHost, ar.masterPort, localRank);
        }
        TriggerRequest request = new TriggerRequest(WireMessage.PROTOCOL_VERSION, ar.id(), ar.job.id(), ar.job.name(),
                ar.job.handler(), ar.run.params(), shard.index, ar.shards.length, shard.attempt, shard.devices,
                ar.job.timeoutSeconds(), ar.job.blockStrategy(), rendezvous, ar.run.scheduledAt(), now(),
                ctx.resultUrl().get());
        return new Dispatch(ar.id(), shard.index, shard.attempt, shard.executorId, request);
    }

    /** Sends one executor its triggers: alone, or in batches when a placement pass gave it several. */
    private void send(String address, List<Dispatch> dispatches) {
        if (dispatches.size() == 1) {
            Dispatch only = dispatches.get(0);
            ctx.executors().trigger(address, only.request())
                    .whenComplete((reply, error) -> post(() -> onTriggerReply(only, reply, error)));
            return;
        }
        for (int from = 0; from < dispatches.size(); from += TriggerBatch.MAX_TRIGGERS) {
            List<Dispatch> part = dispatches.subList(from, Math.min(dispatches.size(), from + TriggerBatch.MAX_TRIGGERS));
            ctx.executors().triggerAll(address, part.stream().map(Dispatch::request).toList())
                    .whenComplete((replies, error) -> post(() -> {
                        for (int i = 0; i < part.size(); i++) {
                            TriggerReply reply = error == null && i < replies.replies().size() ? replies.replies().get(i) : null;
                            Throwable failure = error != null ? error
                                    : reply == null ? new IllegalStateException("the executor answered fewer replies than triggers") : null;
                            onTriggerReply(part.get(i), reply, failure);
                        }
                    }));
        }
    }

    private void onTriggerReply(Dispatch dispatch, TriggerReply reply, Throwable error) {
        long runId = dispatch.runId();
        int index = dispatch.index();
        int attempt = dispatch.attempt();
        String executorId = dispatch.executorId();
        ActiveRun ar = active.get(runId);
        if (ar == null || index >= ar.shards.length) {
            return;
        }
        ActiveRun.Shard shard = ar.shards[index];
        if (shard.attempt != attempt || shard.status != RunStatus.RUNNING || !executorId.equals(shard.executorId)) {
            return;
        }
        if (error == null && reply.outcome().runs()) {
            return;
        }
        if (error != null) {
            String why = rootMessage(error);
            log.warn("Trigger of run {} shard {} to executor {} failed: {}; placing it elsewhere", runId, index, executorId, why);
            refused(ar, shard, why, false);
            return;
        }
        TriggerOutcome outcome = reply.outcome();
        switch (outcome) {
            case ALREADY_DONE -> ctx.nodes().readDone(runId, index).whenComplete((done, readError) -> post(() -> {
                if (readError != null) {
                    log.warn("Run {} shard {} is done but its result cannot be read now ({}); reconciliation tries again",
                            runId, index, rootMessage(readError));
                } else if (done.isPresent()) {
                    applyResult(done.get(), true);
                }
            }));
            case ALREADY_CLAIMED -> ctx.nodes().readClaim(runId, index).whenComplete((claim, readError) -> post(() -> {
                if (claim != null && claim.isPresent() && !claim.get().executorId().equals(shard.executorId)
                        && shard.status == RunStatus.RUNNING && shard.attempt == attempt) {
                    log.info("Run {} shard {} is already held by executor {}; following it there", runId, index,
                            claim.get().executorId());
                    release(shard);
                    shard.executorId = claim.get().executorId();
                    shard.address = ctx.directory().byId(shard.executorId).map(ExecutorCard::address).orElse(null);
                    shard.devices = List.of();
                    writer.shards(List.of(shard.row(runId)));
                }
            }));
            case DISCARDED -> finishShard(ar, shard, RunStatus.CANCELLED, null,
                    "discarded by executor " + executorId + ": " + reply.message());
            case UNKNOWN_HANDLER, COMMAND_DISABLED, REJECTED -> refused(ar, shard, outcome + ": " + reply.message(), true);
            default -> refused(ar, shard, outcome + ": " + reply.message(), false);
        }
    }

    /** An executor would not take a shard: try another; a handler no executor has fails the shard. */
    private void refused(ActiveRun ar, ActiveRun.Shard shard, String why, boolean permanent) {
        shard.refusedBy.add(shard.executorId);
        unplace(shard);
        shard.message = why;
        boolean otherCandidate = ctx.directory().group(ar.job.group()).stream()
                .anyMatch(card -> !shard.refusedBy.contains(card.id()));
        if (permanent && !otherCandidate) {
            finishShard(ar, shard, RunStatus.FAILED, null, why);
            return;
        }
        writer.shards(List.of(shard.row(ar.id())));
        if (otherCandidate) {
            place(List.of(ar));
        } else if (!waiting.containsKey(ar.id())) {
            ar.waitingSince = now();
            ar.waitReason = why;
            waiting.put(ar.id(), ar);
        }
    }

    // ---------------------------------------------------------------- results

    /**
     * A shard finished (reported, or read from its {@code done} node).
     *
     * @param store whether this admin must still record it (results reported over HTTP are recorded on receipt)
     */
    void applyResult(ShardResult result, boolean store) {
        ActiveRun ar = active.get(result.runId());
        if (store) {
            writer.complete(new ShardRun(result.runId(), result.shardIndex(), result.status(), result.executorId(),
                    result.attempt(), ar == null || result.shardIndex() >= ar.shards.length ? List.of()
                    : ar.shards[result.shardIndex()].devices, result.startedAt(), result.finishedAt(), result.exitCode(),
                    result.message()));
        }
        if (ar == null || result.shardIndex() >= ar.shards.length) {
            return;
        }
        ActiveRun.Shard shard = ar.shards[result.shardIndex()];
        if (result.attempt() < shard.attempt || shard.status.isTerminal()) {
            return;
        }
        release(shard);
        shard.status = result.status();
        shard.exitCode = result.exitCode();
        shard.message = result.message();
        shard.startedAt = result.startedAt();
        shard.finishedAt = result.finishedAt();
        afterShardEnded(ar, shard);
    }

    private void finishShard(ActiveRun ar, ActiveRun.Shard shard, RunStatus status, Integer exitCode, String message) {
        release(shard);
        shard.status = status;
        shard.exitCode = exitCode;
        shard.message = message;
        shard.finishedAt = now();
        writer.shards(List.of(shard.row(ar.id())));
        afterShardEnded(ar, shard);
    }

    private void afterShardEnded(ActiveRun ar, ActiveRun.Shard shard) {
        if (ar.cancelled) {
            maybeFinish(ar);
            return;
        }
        if (ar.gangRestarting) {
            maybeRestartGang(ar);
            return;
        }
        if (shard.status != RunStatus.SUCCEEDED) {
            if (ar.job.gang() && ar.shards.length > 1) {
                startGangRestart(ar, "rank " + shard.index + " " + shard.status + ": " + shard.message);
                return;
            }
            if (shard.attempt <= ar.job.maxRetries()) {
                retry(ar, shard, true);
                return;
            }
        }
        maybeFinish(ar);
    }

    /**
     * Runs a shard again as its next attempt. After a failure result the failed attempt's
     * {@code done} node is removed first (the result is recorded) and the retry waits a backoff; a
     * lost shard (no claim, no done) is re-placed at once.
     */
    private void retry(ActiveRun ar, ActiveRun.Shard shard, boolean afterFailure) {
        boolean now = !afterFailure;
        int attempt = shard.attempt;
        long backoff = Math.min(60_000, settings.retryBackoff().toMillis() << Math.min(16, attempt - 1));
        String why = shard.message;
        shard.status = RunStatus.PENDING;
        shard.attempt = attempt + 1;
        shard.executorId = null;
        shard.address = null;
        shard.devices = List.of();
        shard.message = "attempt " + attempt + " ended: " + why;
        writer.shards(List.of(shard.row(ar.id())));
        log.info("Run {} shard {}: attempt {} ended ({}); attempt {} {}", ar.id(), shard.index, attempt, why,
                attempt + 1, now ? "now" : "in " + backoff + " ms");
        if (now) {
            place(List.of(ar));
        } else {
            later(Duration.ofMillis(backoff), () -> ctx.nodes().deleteDone(ar.id(), shard.index)
                    .whenComplete((ignored, error) -> post(() -> place(List.of(ar)))));
        }
    }

    /** A rank of a gang ended badly: stop the others, then restart the whole gang as a new attempt. */
    private void startGangRestart(ActiveRun ar, String reason) {
        if (!ar.gangRestarting) {
            ar.gangRestarting = true;
            ar.failure = reason;
            log.warn("Gang run {} of job {} lost {}; stopping the other ranks", ar.id(), ar.job.name(), reason);
            for (ActiveRun.Shard other : ar.shards) {
                if (other.status == RunStatus.RUNNING) {
                    kill(other, ar.id(), "gang restart: " + reason);
                } else if (other.status == RunStatus.PENDING) {
                    other.status = RunStatus.CANCELLED;
                    other.message = "gang restart: " + reason;
                }
            }
            waiting.remove(ar.id());
        }
        maybeRestartGang(ar);
    }

    private void maybeRestartGang(ActiveRun ar) {
        if (ar.anyRunning()) {
            return;
        }
        releaseRendezvous(ar);
        if (ar.attempt > ar.job.maxRetries()) {
            ar.gangRestarting = false;
            finishRun(ar, RunStatus.FAILED, "gang failed on attempt " + ar.attempt + ": " + ar.failure);
            return;
        }
        int next = ar.attempt + 1;
        List<CompletableFuture<Void>> cleared = new ArrayList<>();
        for (ActiveRun.Shard shard : ar.shards) {
            cleared.add(ctx.nodes().deleteDone(ar.id(), shard.index));
        }
        CompletableFuture.allOf(cleared.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> post(() -> {
            if (!active.containsKey(ar.id()) || ar.cancelled) {
                return;
            }
            ar.attempt = next;
            ar.gangRestarting = false;
            for (ActiveRun.Shard shard : ar.shards) {
                shard.status = RunStatus.PENDING;
                shard.attempt = next;
                shard.executorId = null;
                shard.address = null;
                shard.devices = List.of();
                shard.exitCode = null;
                shard.finishedAt = null;
                shard.message = "gang restarted as attempt " + next + " after " + ar.failure;
            }
            writer.shards(java.util.Arrays.stream(ar.shards).map(shard -> shard.row(ar.id())).toList());
            writer.run(ar.id(), RunStatus.RUNNING, next, ar.run.startedAt() == null ? now() : ar.run.startedAt(), null,
                    "attempt " + next + " after " + ar.failure);
            log.info("Gang run {} of job {} restarts whole as attempt {}", ar.id(), ar.job.name(), next);
            place(List.of(ar));
        }));
    }

    private void kill(ActiveRun.Shard shard, long runId, String reason) {
        if (shard.address == null) {
            return;
        }
        ctx.executors().kill(shard.address, new KillRequest(WireMessage.PROTOCOL_VERSION, runId, shard.index, reason))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        log.warn("Kill of run {} shard {} at {} failed: {}", runId, shard.index, shard.address, rootMessage(error));
                    }
                });
    }

    private void maybeFinish(ActiveRun ar) {
        if (ar.allTerminal()) {
            finishRun(ar, ar.outcome(), summary(ar));
        }
    }

    private static String summary(ActiveRun ar) {
        Map<RunStatus, Long> counts = java.util.Arrays.stream(ar.shards)
                .collect(Collectors.groupingBy(shard -> shard.status, java.util.TreeMap::new, Collectors.counting()));
        StringBuilder text = new StringBuilder();
        counts.forEach((status, count) -> text.append(text.isEmpty() ? "" : ", ").append(count).append(' ').append(status));
        for (ActiveRun.Shard shard : ar.shards) {
            if (shard.status != RunStatus.SUCCEEDED && shard.message != null && !shard.message.isBlank()) {
                text.append("; shard ").append(shard.index).append(": ").append(shard.message);
                break;
            }
        }
        return text.toString();
    }

    private void finishRun(ActiveRun ar, RunStatus status, String message) {
        active.remove(ar.id());
        // Until the writer has stored the final status, the database still lists the run as open.
        finishedThisTerm.add(ar.id());
        waiting.remove(ar.id());
        releaseRendezvous(ar);
        for (ActiveRun.Shard shard : ar.shards) {
            release(shard);
        }
        Instant finished = now();
        writer.run(ar.id(), status, ar.attempt, ar.run.startedAt(), finished, message);
        log.info("Run {} of job {} {} ({})", ar.id(), ar.job.name(), status, message);
        if (status == RunStatus.SUCCEEDED && !ar.job.childJobIds().isEmpty()) {
            fireChildren(ar);
        }
        long runId = ar.id();
        janitor.schedule(() -> cleanNodes(runId), settings.finishedRunRetention().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fireChildren(ActiveRun parent) {
        List<NewRun> children = new ArrayList<>();
        for (Long childId : parent.job.childJobIds()) {
            Optional<JobDefinition> child = job(childId);
            if (child.isEmpty()) {
                log.warn("Job {} names child job {}, which does not exist", parent.job.name(), childId);
                continue;
            }
            // Keyed by the parent's fire time, so a child fires once per parent fire, whoever finishes it.
            children.add(new NewRun(planner.runFor(child.get(), parent.run.scheduledAt(), TriggerKind.CHILD,
                    child.get().params(), now()), null));
        }
        if (!children.isEmpty()) {
            launch(ctx.runs().insertAll(children));
        }
    }

    private void cleanNodes(long runId) {
        try {
            ctx.nodes().deleteRun(runId);
        } catch (Exception e) {
            log.debug("Could not clean the nodes of run {} now ({}); reconciliation retries", runId, e.toString());
        }
    }

    // ---------------------------------------------------------------- waiting runs

    void scheduleDrain() {
        if (!drainQueued) {
            drainQueued = true;
            post(() -> {
                drainQueued = false;
                drainWaiting();
            });
        }
    }

    /** Retries waiting runs, oldest first; fails those that waited past their job's limit. */
    private void drainWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        Instant now = now();
        List<ActiveRun> retry = new ArrayList<>();
        for (ActiveRun ar : List.copyOf(waiting.values())) {
            int limit = ar.job.maxWaitSeconds();
            if (limit > 0 && ar.waitingSince != null && ar.waitingSince.plusSeconds(limit).isBefore(now)) {
                waiting.remove(ar.id());
                String why = "waited longer than " + limit + " s: " + ar.waitReason;
                for (ActiveRun.Shard shard : ar.shards) {
                    if (shard.status == RunStatus.PENDING) {
                        shard.status = RunStatus.FAILED;
                        shard.message = why;
                        shard.finishedAt = now;
                    }
                }
                writer.shards(java.util.Arrays.stream(ar.shards).map(shard -> shard.row(ar.id())).toList());
                maybeFinish(ar);
                continue;
            }
            for (ActiveRun.Shard shard : ar.shards) {
                shard.refusedBy.clear();
            }
            retry.add(ar);
        }
        place(retry);
    }

    // ---------------------------------------------------------------- executors coming and going

    void executorJoined(ExecutorCard card) {
        probe(card);
        scheduleDrain();
    }

    /**
     * Asks a new executor for its status: opens the connection that triggers will reuse, and tells
     * at once, not at its first trigger, when the executor cannot be reached or refuses our signature.
     */
    private void probe(ExecutorCard card) {
        ctx.executors().status(card.address()).whenComplete((status, error) -> {
            if (error != null) {
                log.warn("Executor {} at {} does not answer its status request: {}. Check that it is reachable from this"
                        + " admin and that both use the same cluster secret", card.id(), card.address(), rootMessage(error));
            }
        });
    }

    /** An executor's session ended: its claims are gone with it. Shards with a result keep it; the rest are re-placed. */
    void executorLeft(ExecutorCard card) {
        for (ActiveRun ar : List.copyOf(active.values())) {
            for (ActiveRun.Shard shard : ar.shards) {
                if (shard.status == RunStatus.RUNNING && card.id().equals(shard.executorId)) {
                    checkShardNodes(ar, shard, true);
                }
            }
        }
        ledger.forget(card.id());
    }

    private void lost(ActiveRun ar, ActiveRun.Shard shard, String why) {
        log.warn("Run {} shard {} (attempt {}) lost: {}", ar.id(), shard.index, shard.attempt, why);
        release(shard);
        shard.refusedBy.add(shard.executorId);
        shard.message = why;
        if (ar.cancelled || ar.gangRestarting) {
            shard.status = RunStatus.CANCELLED;
            writer.shards(List.of(shard.row(ar.id())));
            afterShardEnded(ar, shard);
        } else if (ar.job.gang() && ar.shards.length > 1) {
            shard.status = RunStatus.FAILED;
            shard.finishedAt = now();
            writer.shards(List.of(shard.row(ar.id())));
            startGangRestart(ar, "rank " + shard.index + " lost: " + why);
        } else if (shard.attempt <= ar.job.maxRetries()) {
            retry(ar, shard, false);
        } else {
            finishShard(ar, shard, RunStatus.FAILED, null, why);
        }
    }

    // ---------------------------------------------------------------- cancel

    boolean cancel(long runId, String reason) {
        JobRun pending = scheduled.remove(runId);
        if (pending != null) {
            timer.remove(runId);
            writer.run(runId, RunStatus.CANCELLED, pending.attempt(), null, now(), reason);
            return true;
        }
        ActiveRun ar = active.get(runId);
        if (ar == null) {
            return false;
        }
        ar.cancelled = true;
        waiting.remove(runId);
        List<ShardRun> changed = new ArrayList<>();
        for (ActiveRun.Shard shard : ar.shards) {
            if (shard.status == RunStatus.RUNNING) {
                kill(shard, runId, reason);
            } else if (shard.status == RunStatus.PENDING) {
                shard.status = RunStatus.CANCELLED;
                shard.message = reason;
                shard.finishedAt = now();
                changed.add(shard.row(runId));
            }
        }
        if (!changed.isEmpty()) {
            writer.shards(changed);
        }
        maybeFinish(ar);
        return true;
    }

    // ---------------------------------------------------------------- reconciliation

    /** Many job changes in a row (an import, a script) cost one reload. */
    void reloadJobsSoon() {
        if (!reloadQueued) {
            reloadQueued = true;
            later(Duration.ofMillis(100), () -> {
                reloadQueued = false;
                reloadJobs();
            });
        }
    }

    void reconcileSoon() {
        if (!reconcileQueued) {
            reconcileQueued = true;
            later(Duration.ofMillis(100), () -> {
                reconcileQueued = false;
                reconcile();
            });
        }
    }

    /**
     * Compares memory with the database and ZooKeeper: adopts runs recorded by other admins, follows
     * cancels made elsewhere, records results that reached only ZooKeeper or another admin,
     * re-places shards whose claim vanished, and removes finished runs' nodes.
     */
    private void reconcile() {
        List<JobRun> open = ctx.runs().listOpen();
        healthy();
        Set<Long> openIds = new HashSet<>();
        List<JobRun> unknown = open.stream()
                .filter(run -> !active.containsKey(run.id()) && !scheduled.containsKey(run.id())).toList();
        Map<Long, List<ShardRun>> shards = shardsOfStarted(unknown);
        for (JobRun run : open) {
            openIds.add(run.id());
        }
        for (JobRun run : unknown) {
            adopt(run, shards.get(run.id()));
        }
        for (ActiveRun ar : List.copyOf(active.values())) {
            if (!openIds.contains(ar.id())) {
                ctx.runs().find(ar.id()).filter(run -> run.status() == RunStatus.CANCELLED)
                        .ifPresent(run -> cancel(ar.id(), run.message() == null ? "cancelled" : run.message()));
            }
        }
        Instant claimDeadline = now().minus(settings.dispatchTimeout());
        for (ActiveRun ar : List.copyOf(active.values())) {
            for (ActiveRun.Shard shard : ar.shards) {
                if (shard.status == RunStatus.RUNNING) {
                    checkShardNodes(ar, shard, shard.dispatchedAt == null || shard.dispatchedAt.isBefore(claimDeadline));
                }
            }
        }
        Set<Long> known = new HashSet<>(active.keySet());
        known.addAll(scheduled.keySet());
        janitor.execute(() -> cleanFinishedRuns(known));
    }

    /**
     * Looks for a running shard's result or lease. The claim is read before the {@code done} node:
     * {@code done} is created in the same transaction that deletes the claim, so "no claim, then no
     * done" means nobody holds the shard and it has no result.
     */
    private void checkShardNodes(ActiveRun ar, ActiveRun.Shard shard, boolean claimOverdue) {
        int attempt = shard.attempt;
        String executorId = shard.executorId;
        CompletableFuture<Optional<io.tessera.core.zk.ShardClaim>> claim = claimOverdue
                ? ctx.nodes().readClaim(ar.id(), shard.index)
                : CompletableFuture.completedFuture(null);
        claim.thenCompose(held -> ctx.nodes().readDone(ar.id(), shard.index)
                        .thenApply(done -> new NodeState(held, done)))
                .whenComplete((state, error) -> post(() -> {
                    if (error != null) {
                        log.warn("Cannot read the nodes of run {} shard {} now ({}); next reconciliation tries again",
                                ar.id(), shard.index, rootMessage(error));
                        return;
                    }
                    if (shard.status != RunStatus.RUNNING || shard.attempt != attempt || !active.containsKey(ar.id())) {
                        return;
                    }
                    if (state.done().isPresent() && state.done().get().attempt() >= attempt) {
                        applyResult(state.done().get(), true);
                    } else if (state.claim() != null && state.claim().isEmpty()) {
                        if (executorId != null && ctx.directory().isAlive(executorId)) {
                            // Nobody holds it and it has no result: the trigger never took (lost on the way,
                            // or sent by a leader that died first). Send it again; it never ran, so this is
                            // not a new attempt.
                            log.info("Run {} shard {} is not claimed on executor {}; sending it again", ar.id(), shard.index,
                                    executorId);
                            unplace(shard);
                            writer.shards(List.of(shard.row(ar.id())));
                            place(List.of(ar));
                        } else {
                            lost(ar, shard, "executor " + executorId + " is gone (its ZooKeeper session ended)");
                        }
                    }
                }));
    }

    /** @param claim null when the claim was not read */
    private record NodeState(Optional<io.tessera.core.zk.ShardClaim> claim, Optional<ShardResult> done) {
    }

    /** Removes ZooKeeper nodes of runs that finished longer ago than the retention. Runs on the janitor thread. */
    private void cleanFinishedRuns(Set<Long> known) {
        try {
            Instant before = now().minus(settings.finishedRunRetention());
            for (long runId : ctx.nodes().runsWithNodes()) {
                if (known.contains(runId)) {
                    continue;
                }
                Optional<JobRun> run = ctx.runs().find(runId);
                boolean finished = run.map(r -> r.status().isTerminal() && r.finishedAt() != null && r.finishedAt().isBefore(before))
                        .orElse(false);
                if (finished) {
                    ctx.nodes().deleteRun(runId);
                }
            }
        } catch (Exception e) {
            log.debug("Cleaning finished runs' nodes failed this time: {}", e.toString());
        }
    }
}
