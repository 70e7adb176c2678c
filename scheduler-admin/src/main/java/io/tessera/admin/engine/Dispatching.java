package io.tessera.admin.engine;

import io.tessera.admin.store.RunChange;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RunStatus;
import io.tessera.core.placement.PlacementResult;
import io.tessera.core.placement.QueueQuota;
import io.tessera.core.placement.QuotaLimit;
import io.tessera.core.placement.Reservation;
import io.tessera.core.placement.ShardPlacement;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.AttemptNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Places shards, sends their triggers in batches per executor, and follows the answers: a shard
 * that an executor holds runs there; one that is refused is placed again; one whose trigger went
 * unanswered is looked up in ZooKeeper before anything else is done, never sent blindly elsewhere.
 * Confined to the engine thread.
 */
final class Dispatching {

    private static final Logger log = LoggerFactory.getLogger(Dispatching.class);
    /** How often the same attempt is sent again to an executor that is up but never took it. */
    static final int MAX_RESENDS = 3;
    /** How long freed room gathers before waiting runs are placed again. */
    private static final Duration DRAIN_COALESCE = Duration.ofMillis(20);

    private final EngineTerm term;
    private final Map<Long, Long> sequences = new HashMap<>();
    /** Executors held for waiting runs, by run: runs ranking behind them may not use these. */
    private final Map<Long, Held> reservations = new HashMap<>();
    private boolean drainQueued;

    Dispatching(EngineTerm term) {
        this.term = term;
    }

    // ---------------------------------------------------------------- placing

    /** Places the PENDING shards of these runs, records where they go, then sends them. */
    void place(List<ActiveRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        if (!term.writable()) {
            // The database does not take writes: start nothing new until it does.
            term.later(EngineTerm.DB_RETRY, () -> place(runs));
            return;
        }
        Instant now = term.now();
        List<RunChange> changes = new ArrayList<>();
        long startsAt = now.toEpochMilli();
        Map<ActiveRun, List<ActiveRun.Shard>> placedByRun = new LinkedHashMap<>();
        // Asks that found no room in this pass: an identical ask after them finds none either (nothing was taken
        // meanwhile), so a full group costs one placement per kind of ask, not one per waiting run.
        Map<String, String> full = new HashMap<>();
        List<ActiveRun> ranked = runs;
        if (runs.size() > 1) {
            ranked = new ArrayList<>(runs);
            ranked.sort(ActiveRun.RANK);
        }
        for (ActiveRun run : ranked) {
            if (run.cancelled || run.gangRestarting || !term.runs.isActive(run.id())) {
                continue;
            }
            List<Integer> pending = run.shardsIn(ShardState.PENDING);
            if (pending.isEmpty()) {
                continue;
            }
            Set<String> avoid = new HashSet<>();
            for (int index : pending) {
                avoid.addAll(run.shards[index].refusedBy);
            }
            Set<String> reservedAhead = reservedAhead(run);
            String ask = avoid.isEmpty() ? run.job.group() + '|' + run.job.accelerators() + '|' + run.job.gang() + '|' + pending.size()
                    + '|' + reservedAhead : null;
            avoid.addAll(reservedAhead);
            PlacementResult result;
            if (ask != null && full.containsKey(ask)) {
                result = PlacementResult.nothingPlaced(pending, full.get(ask));
            } else {
                result = withinQuota(run, term.placer.place(run.job, pending, avoid, sequences.merge(run.job.id(), 1L, Long::sum)));
                if (ask != null && result.placed().isEmpty() && !result.complete() && term.quotas.quotaOf(run.job).isEmpty()) {
                    full.put(ask, result.reason());
                }
            }
            List<ActiveRun.Shard> placed = new ArrayList<>();
            for (ShardPlacement placement : result.placed()) {
                ActiveRun.Shard shard = run.shards[placement.shardIndex()];
                if (!shard.on(ShardState.Event.PLACED)) {
                    term.placer.ledger().release(placement.executorId(), placement.devices());
                    continue;
                }
                shard.executorId = placement.executorId();
                shard.address = placement.address();
                shard.registration = term.parts.directory().registration(placement.executorId()).orElse(null);
                shard.devices = placement.devices();
                shard.startedAt = now;
                shard.dispatchedAt = now;
                shard.finishedAt = null;
                shard.exitCode = null;
                shard.message = "";
                shard.resends = 0;
                shard.holding = true;
                term.quotas.hold(run, shard);
                placed.add(shard);
                changes.add(new RunChange.ShardUpdate(shard.row(run.id())));
            }
            if (!placed.isEmpty()) {
                placedByRun.put(run, placed);
                startsAt = Math.max(startsAt, run.run.scheduledAt().toEpochMilli());
                if (run.status != RunStatus.RUNNING) {
                    run.status = RunStatus.RUNNING;
                    if (run.startedAt == null) {
                        run.startedAt = now;
                    }
                    changes.add(new RunChange.RunUpdate(run.id(), RunStatus.RUNNING, run.attempt, run.startedAt, null, ""));
                }
            }
            if (result.complete()) {
                term.runs.stopWaiting(run.id());
                run.waitReason = null;
                reservations.remove(run.id());
            } else {
                String reason = reservedAhead.isEmpty() ? result.reason()
                        : result.reason() + " (held for waiting runs ahead of it: executor(s) " + String.join(", ", reservedAhead) + ")";
                if (run.job.needsAccelerators()) {
                    List<Integer> left = run.shardsIn(ShardState.PENDING);
                    Optional<String> preempting = term.preempting.makeRoom(run, left, reservedAhead);
                    if (preempting.isPresent()) {
                        reason = preempting.get();
                    } else {
                        reserve(run, left, reservedAhead);
                    }
                }
                if (run.status == RunStatus.WAITING && run.waitReason != null && !run.waitReason.equals(reason)) {
                    changes.add(new RunChange.RunUpdate(run.id(), RunStatus.WAITING, run.attempt, null, null, reason));
                }
                run.waitReason = reason;
                if (run.waitingSince == null) {
                    run.waitingSince = now;
                }
                if (!term.runs.isWaiting(run.id())) {
                    term.runs.waitForRoom(run);
                    log.info("Run {} of job {} waits: {}", run.id(), run.job.name(), run.waitReason);
                    if (placed.isEmpty() && !run.anyOut() && run.status != RunStatus.WAITING) {
                        run.status = RunStatus.WAITING;
                        changes.add(new RunChange.RunUpdate(run.id(), RunStatus.WAITING, run.attempt, null, null, run.waitReason));
                    }
                }
            }
        }
        // Recorded off the dispatch path, after a hold-back: a shard that finishes sooner is written once, with its result.
        term.writer.inFlight(changes, startsAt);
        Map<String, List<TriggerRequest>> byExecutor = new LinkedHashMap<>();
        placedByRun.forEach((run, shards) -> {
            assignRendezvous(run);
            for (ActiveRun.Shard shard : shards) {
                byExecutor.computeIfAbsent(shard.address, address -> new ArrayList<>()).add(trigger(run, shard));
            }
        });
        sendOnceRunNodesExist(placedByRun.keySet(), byExecutor);
    }

    /**
     * Sends the triggers once their runs' nodes exist (runs recorded by the planner have them
     * already): a run node made before any claim tells later whether a claim of it vanished.
     */
    private void sendOnceRunNodesExist(Set<ActiveRun> runs, Map<String, List<TriggerRequest>> byExecutor) {
        if (byExecutor.isEmpty()) {
            return;
        }
        java.util.concurrent.CompletableFuture<Void> made = term.parts.nodes().ensure(runs.stream().map(ActiveRun::id).toList());
        if (made.isDone() && !made.isCompletedExceptionally()) {
            byExecutor.forEach(term.dispatcher::send);
            return;
        }
        made.whenComplete((done, error) -> term.post(() -> {
            if (error != null) {
                log.info("Could not make the nodes of {} run(s) before sending them ({}); executors make them",
                        runs.size(), DatabaseFailures.rootMessage(error));
            }
            byExecutor.forEach(term.dispatcher::send);
        }));
    }

    /** Multi-shard runs get shard 0's host and an allotted port as their rendezvous. */
    private void assignRendezvous(ActiveRun run) {
        if (run.shards.length < 2 || run.masterPort > 0) {
            return;
        }
        ActiveRun.Shard first = run.shards[0];
        if (first.executorId == null) {
            return;
        }
        String host = term.parts.directory().byId(first.executorId).map(ExecutorCard::host)
                .orElse(first.address == null ? "127.0.0.1" : first.address.substring(0, first.address.lastIndexOf(':')));
        int port = term.ports.allot(host);
        if (port > 0) {
            run.masterHost = host;
            run.masterPort = port;
        }
    }

    void releaseRendezvous(ActiveRun run) {
        if (run.masterPort > 0) {
            term.ports.release(run.masterHost, run.masterPort);
            run.masterPort = -1;
            run.masterHost = null;
        }
    }

    private TriggerRequest trigger(ActiveRun run, ActiveRun.Shard shard) {
        TriggerRequest.Rendezvous rendezvous = null;
        if (run.shards.length > 1 && run.masterPort > 0) {
            int localRank = 0;
            for (int i = 0; i < shard.index; i++) {
                if (shard.executorId.equals(run.shards[i].executorId)) {
                    localRank++;
                }
            }
            rendezvous = new TriggerRequest.Rendezvous(run.masterHost, run.masterPort, localRank);
        }
        return new TriggerRequest(WireMessage.PROTOCOL_VERSION, run.id(), run.job.id(), run.job.name(), run.job.handler(),
                run.run.params(), shard.index, run.shards.length, shard.attempt, shard.devices, run.job.timeoutSeconds(),
                run.job.blockStrategy(), rendezvous, run.run.scheduledAt(), term.now(), term.parts.resultUrl().get());
    }

    /** The shard goes back to PENDING (same attempt); its devices and slot are free again. */
    void unplace(ActiveRun.Shard shard) {
        release(shard);
        shard.on(ShardState.Event.REFUSED);
        shard.executorId = null;
        shard.address = null;
        shard.registration = null;
        shard.devices = List.of();
        shard.startedAt = null;
    }

    /** Gives the shard's devices and slot back to the ledger, once. */
    void release(ActiveRun.Shard shard) {
        shard.preemption = null;
        if (shard.holding) {
            term.placer.ledger().release(shard.executorId, shard.devices);
            term.quotas.release(shard);
            shard.holding = false;
            drainSoon();
        }
    }

    // ---------------------------------------------------------------- priorities, reservations, quotas

    /**
     * Executors held for waiting runs that rank ahead of this one: it may not use them, so that it
     * does not delay them (backfill). Runs that need no devices ignore reservations.
     */
    private Set<String> reservedAhead(ActiveRun run) {
        if (reservations.isEmpty() || !run.job.needsAccelerators()) {
            return Set.of();
        }
        // TreeSet: the set is part of the key of identical asks in one pass, so its text must not depend on order.
        Set<String> held = new java.util.TreeSet<>();
        reservations.forEach((runId, reservation) -> {
            if (runId != run.id() && (reservation.forPreemption() || reservation.run().ranksAhead(run)) && term.runs.isWaiting(runId)) {
                held.addAll(reservation.executors());
            }
        });
        return held;
    }

    /** Holds for a run that cannot be placed the executors that, once drained, would take it. */
    private void reserve(ActiveRun run, List<Integer> pending, Set<String> reservedAhead) {
        if (pending.isEmpty()) {
            reservations.remove(run.id());
            return;
        }
        Set<String> executors = Reservation.executorsFor(term.placer.request(run.job, pending, 0),
                term.placer.snapshot(run.job.group(), Set.of()), reservedAhead);
        if (executors.isEmpty()) {
            reservations.remove(run.id());
        } else {
            reservations.put(run.id(), new Held(run, executors, false));
        }
    }

    /**
     * Holds these executors for a run whose room is being made by preemption, against every other
     * run, whatever its rank: the victims, re-queued, must not take back what they gave up (a queue
     * giving back borrowed quota may rank ahead of the queue that reclaims it).
     */
    void reserveForPreemption(ActiveRun run, Set<String> executors) {
        reservations.put(run.id(), new Held(run, Set.copyOf(executors), true));
    }

    private record Held(ActiveRun run, Set<String> executors, boolean forPreemption) {
    }

    /**
     * Takes back what a placement gives a queue beyond its quota when the queue may not borrow: the
     * shards past the quota stay pending (a gang all of them), and the reason names the quota.
     */
    private PlacementResult withinQuota(ActiveRun run, PlacementResult result) {
        Optional<QueueQuota> quota = term.quotas.quotaOf(run.job);
        if (quota.isEmpty() || result.placed().isEmpty()) {
            return result;
        }
        List<ShardPlacement> kept = new ArrayList<>();
        List<PlacementResult.UnplacedShard> unplaced = new ArrayList<>(result.unplaced());
        Map<QuotaLimit, Integer> adding = new HashMap<>();
        String refusal = null;
        for (ShardPlacement placement : result.placed()) {
            Map<QuotaLimit, Integer> devices = term.quotas.count(quota.get(), placement.executorId(), placement.devices());
            Map<QuotaLimit, Integer> total = new HashMap<>(adding);
            devices.forEach((limit, n) -> total.merge(limit, n, Integer::sum));
            Optional<String> exceeded = term.quotas.exceeded(quota.get(), total);
            if (exceeded.isPresent() && !quota.get().borrowing()) {
                refusal = exceeded.get();
                unplaced.add(new PlacementResult.UnplacedShard(placement.shardIndex(), refusal));
            } else {
                if (exceeded.isPresent()) {
                    log.info("Run {} of job {} borrows idle devices beyond its {}", run.id(), run.job.name(), exceeded.get());
                }
                adding = total;
                kept.add(placement);
            }
        }
        if (refusal == null) {
            return result;
        }
        if (run.job.gang()) {
            kept.forEach(placement -> unplaced.add(new PlacementResult.UnplacedShard(placement.shardIndex(), "")));
            kept.clear();
        }
        Set<Integer> keptShards = new HashSet<>();
        kept.forEach(placement -> keptShards.add(placement.shardIndex()));
        for (ShardPlacement placement : result.placed()) {
            if (!keptShards.contains(placement.shardIndex())) {
                term.placer.ledger().release(placement.executorId(), placement.devices());
            }
        }
        String reason = refusal + "; queue " + quota.get().queue() + " does not borrow beyond its quota";
        List<PlacementResult.UnplacedShard> explained = unplaced.stream()
                .map(shard -> new PlacementResult.UnplacedShard(shard.shardIndex(), reason)).toList();
        return new PlacementResult(kept, explained);
    }

    // ---------------------------------------------------------------- answers

    /** One batch's answer: each trigger's reply, or the batch's failure for all of them. */
    void answered(String address, List<TriggerRequest> sent, TriggerBatchReply reply, Throwable error) {
        for (int i = 0; i < sent.size(); i++) {
            TriggerReply one = error == null && reply != null && i < reply.replies().size() ? reply.replies().get(i) : null;
            Throwable failure = error != null ? error
                    : one == null ? new IllegalStateException("the executor answered fewer replies than triggers") : null;
            answered(address, sent.get(i), one, failure);
        }
    }

    private void answered(String address, TriggerRequest request, TriggerReply reply, Throwable error) {
        ActiveRun run = term.runs.active(request.runId());
        if (run == null || request.shardIndex() >= run.shards.length) {
            return;
        }
        ActiveRun.Shard shard = run.shards[request.shardIndex()];
        if (shard.attempt != request.attempt() || shard.state != ShardState.DISPATCHED || !Objects.equals(address, shard.address)) {
            return;
        }
        if (error == null && reply.outcome().runs()) {
            shard.on(ShardState.Event.CLAIMED);
            if (run.cancelled || run.gangRestarting) {
                // Stopped while its trigger was on the way: stop it there too.
                kill(shard, run.id(), "run stopped while its trigger was on the way");
            }
            return;
        }
        if (error != null) {
            String why = DatabaseFailures.rootMessage(error);
            log.warn("Trigger of run {} shard {} (attempt {}) to executor {} went unanswered ({}); looking at its claim",
                    run.id(), shard.index, shard.attempt, shard.executorId, why);
            lookUp(run, shard, "trigger unanswered: " + why);
            return;
        }
        TriggerOutcome outcome = reply.outcome();
        switch (outcome) {
            case ALREADY_DONE, ALREADY_CLAIMED -> lookUp(run, shard, outcome + ": " + reply.message());
            case DISCARDED -> term.completion.finishShard(run, shard, RunStatus.CANCELLED, null, discarded(run, shard, reply));
            case UNKNOWN_HANDLER, COMMAND_DISABLED, REJECTED -> refused(run, shard, outcome + ": " + reply.message(), true);
            default -> refused(run, shard, outcome + ": " + reply.message(), false);
        }
    }

    /** Why a shard was discarded (block strategy DISCARD_NEW): the run of the same job that still runs there. */
    private String discarded(ActiveRun run, ActiveRun.Shard shard, TriggerReply reply) {
        return term.runs.active().stream()
                .filter(other -> other.job.id() == run.job.id() && other.id() != run.id() && other.holds(shard.executorId))
                .map(other -> "discarded: run " + other.id() + " still running on executor " + shard.executorId)
                .findFirst()
                .orElse("discarded by executor " + shard.executorId + ": " + reply.message());
    }

    /**
     * Reads the shard's attempt node and follows it. A result is taken; a claim held by its executor
     * means it runs there; a claim held by another executor means it runs there instead. No node:
     * a shard its executor had accepted is lost; one whose trigger went unanswered is sent again,
     * same attempt, to the same executor only while that executor is up in the same session and no
     * claim of the attempt can have existed; otherwise it counts as lost (the next attempt), since
     * a claim that vanished may have run its handler.
     */
    void lookUp(ActiveRun run, ActiveRun.Shard shard, String why) {
        int attempt = shard.attempt;
        ShardState was = shard.state;
        term.parts.nodes().read(run.id(), shard.index, attempt).whenComplete((node, error) -> term.post(() -> {
            if (shard.attempt != attempt || shard.state != was || !term.runs.isActive(run.id())) {
                return;
            }
            if (error != null) {
                log.warn("Cannot read the claim of run {} shard {} now ({}); reconciliation tries again", run.id(), shard.index,
                        DatabaseFailures.rootMessage(error));
                return;
            }
            follow(run, shard, node, why);
        }));
    }

    private void follow(ActiveRun run, ActiveRun.Shard shard, Optional<AttemptNode> node, String why) {
        if (node.isPresent() && node.get() instanceof AttemptNode.Finished finished) {
            term.completion.applyResults(List.of(finished.result()), true);
        } else if (node.isPresent() && node.get() instanceof AttemptNode.Held held) {
            String holder = held.claim().executorId();
            if (holder.equals(shard.executorId)) {
                shard.on(ShardState.Event.CLAIMED);
            } else {
                log.info("Run {} shard {} (attempt {}) is held by executor {}; following it there", run.id(), shard.index,
                        shard.attempt, holder);
                release(shard);
                shard.on(ShardState.Event.HELD_ELSEWHERE);
                shard.executorId = holder;
                shard.address = term.parts.directory().byId(holder).map(ExecutorCard::address).orElse(null);
                shard.registration = term.parts.directory().registration(holder).orElse(null);
                shard.devices = List.of();
                term.writer.inFlight(List.of(new RunChange.ShardUpdate(shard.row(run.id()))));
            }
        } else if (shard.state == ShardState.RUNNING) {
            markLost(run, shard, "its claim is gone without a result (" + why + ")");
        } else if (sameSession(shard)) {
            sendAgainIfNeverClaimed(run, shard, why);
        } else {
            markLost(run, shard, "executor " + shard.executorId + " is gone or re-registered (" + why + ")");
        }
    }

    /**
     * An unanswered trigger whose attempt has no node: the same attempt may go again only if it was
     * never claimed. A claim that existed and vanished (its holder crashed, lost its session, or gave
     * it back) means the handler may have run: that attempt is lost, and the shard goes on as the next.
     */
    private void sendAgainIfNeverClaimed(ActiveRun run, ActiveRun.Shard shard, String why) {
        int attempt = shard.attempt;
        term.parts.nodes().claimHistory(run.id(), shard.registration).whenComplete((history, error) -> term.post(() -> {
            if (shard.attempt != attempt || shard.state != ShardState.DISPATCHED || !term.runs.isActive(run.id())) {
                return;
            }
            if (error != null) {
                log.warn("Cannot read the claims of run {} now ({}); reconciliation tries again", run.id(),
                        DatabaseFailures.rootMessage(error));
                return;
            }
            switch (history) {
                case NEVER_CLAIMED -> {
                    if (shard.resends < MAX_RESENDS) {
                        resend(run, shard);
                    } else {
                        refused(run, shard, "executor " + shard.executorId + " did not take it after " + MAX_RESENDS
                                + " tries (" + why + ")", false);
                    }
                }
                case CLAIM_LOST -> markLost(run, shard, "a claim of the run ended without a result, so attempt "
                        + attempt + " may have run (" + why + ")");
                case UNSETTLED -> log.debug("Run {} shard {}: its run's claims changed while read; looked up again later",
                        run.id(), shard.index);
            }
        }));
    }

    /**
     * Ends an attempt whose claim is gone as lost, first writing that verdict into the attempt's node
     * so that its expired holder cannot record a result for it afterwards (the next attempt would then
     * run beside it). If the node appeared meanwhile (that holder recorded its result, or claimed),
     * it is followed instead.
     */
    private void markLost(ActiveRun run, ActiveRun.Shard shard, String why) {
        int attempt = shard.attempt;
        ShardState was = shard.state;
        Instant now = term.now();
        ShardResult verdict = new ShardResult(WireMessage.PROTOCOL_VERSION, run.id(), shard.index, attempt, run.job.id(),
                shard.executorId == null ? "" : shard.executorId, RunStatus.FAILED, null, "lost: " + why, null, now, 0L);
        term.parts.nodes().markLost(verdict).whenComplete((marked, error) -> term.post(() -> {
            if (shard.attempt != attempt || shard.state != was || !term.runs.isActive(run.id())) {
                return;
            }
            if (error != null) {
                log.warn("Cannot mark run {} shard {} attempt {} lost in ZooKeeper now ({}); reconciliation looks again",
                        run.id(), shard.index, attempt, DatabaseFailures.rootMessage(error));
            } else if (marked) {
                term.completion.lost(run, shard, why);
            } else {
                lookUp(run, shard, "its attempt's node appeared while it was being marked lost");
            }
        }));
    }

    /** Whether the shard's executor is up in the session it was sent to. */
    private boolean sameSession(ActiveRun.Shard shard) {
        Optional<String> now = shard.executorId == null ? Optional.empty() : term.parts.directory().registration(shard.executorId);
        return now.isPresent() && now.get().equals(shard.registration);
    }

    private void resend(ActiveRun run, ActiveRun.Shard shard) {
        shard.resends++;
        shard.dispatchedAt = term.now();
        log.info("Run {} shard {} is not claimed on executor {}; sending the same attempt ({}) again", run.id(), shard.index,
                shard.executorId, shard.attempt);
        term.dispatcher.send(shard.address, List.of(trigger(run, shard)));
    }

    /** An executor would not take a shard: try another; a handler no executor has fails the shard. */
    void refused(ActiveRun run, ActiveRun.Shard shard, String why, boolean permanent) {
        shard.refusedBy.add(shard.executorId);
        unplace(shard);
        shard.message = why;
        boolean otherCandidate = term.parts.directory().group(run.job.group()).stream()
                .anyMatch(card -> !shard.refusedBy.contains(card.id()));
        if (permanent && !otherCandidate) {
            term.completion.finishShard(run, shard, RunStatus.FAILED, null, why);
            return;
        }
        term.writer.write(new RunChange.ShardUpdate(shard.row(run.id())));
        if (otherCandidate) {
            place(List.of(run));
        } else if (!term.runs.isWaiting(run.id())) {
            run.waitingSince = term.now();
            run.waitReason = why;
            term.runs.waitForRoom(run);
        }
    }

    void kill(ActiveRun.Shard shard, long runId, String reason) {
        kill(shard, new KillRequest(WireMessage.PROTOCOL_VERSION, runId, shard.index, reason));
    }

    /** Stops a shard to make room: its handler is told, and a command gets SIGTERM and {@code graceSeconds}. */
    void preempt(ActiveRun.Shard shard, long runId, String reason, int graceSeconds) {
        kill(shard, new KillRequest(WireMessage.PROTOCOL_VERSION, runId, shard.index, reason, true, graceSeconds));
    }

    private void kill(ActiveRun.Shard shard, KillRequest request) {
        long runId = request.runId();
        if (shard.address == null) {
            return;
        }
        term.parts.executors().kill(shard.address, request)
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        log.warn("Kill of run {} shard {} at {} failed: {}", runId, shard.index, shard.address,
                                DatabaseFailures.rootMessage(error));
                    }
                });
    }

    // ---------------------------------------------------------------- executors and waiting runs

    /**
     * Asks a new executor for its status: opens the connection that triggers will reuse, and tells
     * at once, not at its first trigger, when the executor cannot be reached or refuses our signature.
     */
    void probe(ExecutorCard card) {
        term.parts.executors().status(card.address()).whenComplete((status, error) -> {
            if (error != null) {
                log.warn("Executor {} at {} does not answer its status request: {}. Check that it is reachable from this"
                        + " admin and that both use the same cluster secret", card.id(), card.address(),
                        DatabaseFailures.rootMessage(error));
            }
        });
    }

    /**
     * Puts a preempted run back in the queue: it is placed by the next pass over the waiting runs, in
     * rank order, never alone ahead of the runs it made room for (which may not hold their
     * reservations yet, e.g. just after a leader change).
     */
    void requeue(ActiveRun run) {
        if (run.waitingSince == null) {
            run.waitingSince = term.now();
        }
        term.runs.waitForRoom(run);
        drainSoon();
    }

    /** Places waiting runs again soon: many releases in a row (a burst of results) cost one pass. */
    void drainSoon() {
        if (!drainQueued && term.runs.hasWaiting()) {
            drainQueued = true;
            term.later(DRAIN_COALESCE, () -> {
                drainQueued = false;
                drainWaiting();
            });
        }
    }

    /** Places waiting runs again, highest priority first, then oldest; fails those that waited past their job's limit. */
    void drainWaiting() {
        List<ActiveRun> waiting = term.runs.waiting();
        if (waiting.isEmpty()) {
            return;
        }
        Instant now = term.now();
        reservations.keySet().removeIf(runId -> !term.runs.isWaiting(runId));
        waiting.sort(ActiveRun.RANK);
        List<ActiveRun> retry = new ArrayList<>();
        for (ActiveRun run : waiting) {
            int limit = run.job.maxWaitSeconds();
            if (limit > 0 && run.waitingSince != null && run.waitingSince.plusSeconds(limit).isBefore(now)) {
                term.runs.stopWaiting(run.id());
                term.completion.waitedTooLong(run, "waited longer than " + limit + " s: " + run.waitReason);
                continue;
            }
            for (ActiveRun.Shard shard : run.shards) {
                shard.refusedBy.clear();
            }
            retry.add(run);
        }
        place(retry);
    }

    /** Shards placed (or sent) longer ago than this without an answer are looked up. */
    Duration unanswered() {
        return term.settings.dispatchTimeout().plusSeconds(1);
    }
}
