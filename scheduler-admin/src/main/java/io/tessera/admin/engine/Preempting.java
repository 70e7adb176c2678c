package io.tessera.admin.engine;

import io.tessera.admin.store.RunChange;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.placement.PlacementRequest;
import io.tessera.core.placement.Preemption;
import io.tessera.core.placement.PreemptionCandidate;
import io.tessera.core.placement.QueueQuota;
import io.tessera.core.placement.QuotaLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes room for a waiting run that needs devices by stopping running shards it may displace:
 * those of preemptible jobs of lower priority, and those a queue runs on borrowed quota when the
 * waiting run's queue is within its own. Of these it stops the set that loses the least
 * device-time ({@link Preemption}); each victim gets a preempting kill (SIGTERM and its job's
 * grace) and goes back to the queue without using a retry. Confined to the engine thread.
 */
final class Preempting {

    private static final Logger log = LoggerFactory.getLogger(Preempting.class);
    /** Beyond its grace, how long a victim may take to report before its preemptor may choose again. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(30);

    private final EngineTerm term;

    Preempting(EngineTerm term) {
        this.term = term;
    }

    /** One unit a preemption may stop: a shard, or every running rank of a gang. */
    private record Unit(ActiveRun run, List<ActiveRun.Shard> shards, boolean reclaim, PreemptionCandidate candidate) {
    }

    /**
     * Starts stopping what must stop for these pending shards of {@code run} to be placed, unless
     * the run already waits for earlier victims to stop.
     *
     * @param reservedAhead executors held for runs ranking ahead, which the room must not come from
     * @return why the run waits now, when it preempts or waits for its victims; empty when nothing can be preempted for it
     */
    Optional<String> makeRoom(ActiveRun run, List<Integer> pending, Set<String> reservedAhead) {
        if (pending.isEmpty() || run.cancelled || run.gangRestarting) {
            return Optional.empty();
        }
        Instant now = term.now();
        run.victims.removeIf(victim -> !victim.stillStopping());
        if (!run.victims.isEmpty() && run.preemptedAt != null
                && now.isBefore(run.preemptedAt.plus(longestGrace(run.victims)).plus(ANSWER_MARGIN))) {
            return Optional.of("waiting for " + run.victims.size() + " preempted shard(s) to stop");
        }
        if (!term.runs.anyPreemptible() && !term.quotas.any()) {
            return Optional.empty(); // the usual case: nothing to look through
        }
        List<Unit> units = candidates(run, now);
        if (units.isEmpty()) {
            return Optional.empty();
        }
        PlacementRequest request = term.placer.request(run.job, pending, 0);
        Optional<Preemption.Plan> plan = Preemption.plan(request, term.placer.snapshot(run.job.group(), reservedAhead),
                units.stream().map(Unit::candidate).toList());
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        Set<String> chosen = new HashSet<>();
        plan.get().victims().forEach(victim -> chosen.add(victim.key()));
        List<Unit> victims = units.stream().filter(unit -> chosen.contains(unit.candidate().key())).toList();
        stop(run, victims, now);
        term.dispatching.reserveForPreemption(run, plan.get().executors());
        int shards = victims.stream().mapToInt(unit -> unit.shards().size()).sum();
        return Optional.of(String.format("preempting %d shard(s) of %s (%.2f device-hours lost) to make room",
                shards, describe(victims), plan.get().lostDeviceSeconds() / 3600.0));
    }

    private void stop(ActiveRun preemptor, List<Unit> victims, Instant now) {
        List<RunChange> history = new ArrayList<>();
        for (Unit unit : victims) {
            ActiveRun run = unit.run();
            String why = unit.reclaim()
                    ? "queue " + run.job.queue() + " gives back borrowed devices to run " + preemptor.id() + " of job "
                    + preemptor.job.name() + " (queue " + preemptor.job.queue() + ", within its quota)"
                    : "preempted by run " + preemptor.id() + " of job " + preemptor.job.name() + " (priority "
                    + preemptor.job.priority() + " > " + run.job.priority() + ")";
            boolean wholeGang = run.job.gang() && run.shards.length > 1;
            if (wholeGang) {
                run.gangRestarting = true;
                run.restartPreempted = true;
                run.failure = why;
                term.runs.stopWaiting(run.id());
            }
            for (ActiveRun.Shard shard : unit.shards()) {
                shard.preemption = why;
                preemptor.victims.add(new ActiveRun.Victim(run, shard, shard.attempt));
                term.dispatching.preempt(shard, run.id(), why, run.job.preemptionGraceSeconds());
                history.add(new RunChange.Preempted(run.id(), shard.index, shard.attempt, preemptor.id(), preemptor.job.name(),
                        why, now));
            }
            log.info("Run {} of job {}: stopping {} shard(s) ({}), {} s of grace", run.id(), run.job.name(), unit.shards().size(),
                    why, run.job.preemptionGraceSeconds());
        }
        preemptor.preemptedAt = now;
        term.writer.write(history);
    }

    /** Every unit this run may stop, with the device-time each would lose. */
    private List<Unit> candidates(ActiveRun run, Instant now) {
        JobDefinition job = run.job;
        Set<ActiveRun.Shard> reclaimable = reclaimableFor(run);
        List<Unit> units = new ArrayList<>();
        for (ActiveRun other : term.runs.active()) {
            if (other == run || other.cancelled || other.gangRestarting || !other.job.needsAccelerators()
                    || !other.job.group().equals(job.group()) || other.beingPreempted()) {
                continue;
            }
            boolean byPriority = other.job.preemptible() && other.job.priority() < job.priority();
            List<ActiveRun.Shard> out = new ArrayList<>();
            for (ActiveRun.Shard shard : other.shards) {
                if (shard.holding && !shard.devices.isEmpty()
                        && (shard.state == ShardState.RUNNING || shard.state == ShardState.DISPATCHED)) {
                    out.add(shard);
                }
            }
            if (out.isEmpty()) {
                continue;
            }
            if (other.job.gang() && other.shards.length > 1) {
                boolean reclaim = out.stream().anyMatch(reclaimable::contains);
                if (byPriority || reclaim) {
                    units.add(unit(other, out, !byPriority, now));
                }
            } else {
                for (ActiveRun.Shard shard : out) {
                    boolean reclaim = reclaimable.contains(shard);
                    if (byPriority || reclaim) {
                        units.add(unit(other, List.of(shard), !byPriority, now));
                    }
                }
            }
        }
        return units;
    }

    private static Unit unit(ActiveRun run, List<ActiveRun.Shard> shards, boolean reclaim, Instant now) {
        List<PreemptionCandidate.Held> held = new ArrayList<>();
        double lost = 0;
        for (ActiveRun.Shard shard : shards) {
            held.add(new PreemptionCandidate.Held(shard.executorId, shard.devices));
            Instant since = shard.startedAt == null ? now : shard.startedAt;
            lost += shard.devices.size() * Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
        }
        String key = "run " + run.id() + (shards.size() == 1 && !(run.job.gang() && run.shards.length > 1)
                ? " shard " + shards.get(0).index : "");
        return new Unit(run, List.copyOf(shards), reclaim, new PreemptionCandidate(key, held, lost));
    }

    /**
     * The shards other queues run on borrowed quota that this run may take back: only when its own
     * queue is within its quota for the devices it asks, and of each other queue only its newest
     * shards, up to what it uses beyond its quota.
     */
    private Set<ActiveRun.Shard> reclaimableFor(ActiveRun run) {
        Optional<QueueQuota> own = term.quotas.quotaOf(run.job);
        if (own.isEmpty() || !withinQuota(own.get(), run)) {
            return Set.of();
        }
        Map<String, List<ActiveRun.Shard>> byQueue = new HashMap<>();
        Map<ActiveRun.Shard, ActiveRun> runOf = new HashMap<>();
        for (ActiveRun other : term.runs.active()) {
            if (!other.job.hasQueue() || other.job.queue().equals(run.job.queue())) {
                continue;
            }
            for (ActiveRun.Shard shard : other.shards) {
                if (shard.holding && !term.quotas.countedFor(shard).isEmpty()) {
                    byQueue.computeIfAbsent(other.job.queue(), queue -> new ArrayList<>()).add(shard);
                    runOf.put(shard, other);
                }
            }
        }
        Set<ActiveRun.Shard> reclaimable = new HashSet<>();
        byQueue.forEach((queue, shards) -> {
            Map<QuotaLimit, Integer> over = new HashMap<>(term.quotas.overBy(queue));
            if (over.isEmpty()) {
                return;
            }
            shards.sort(Comparator.comparing((ActiveRun.Shard shard) -> shard.startedAt == null ? Instant.MAX : shard.startedAt)
                    .reversed());
            for (ActiveRun.Shard shard : shards) {
                Map<QuotaLimit, Integer> counts = term.quotas.countedFor(shard);
                boolean covers = counts.keySet().stream().anyMatch(limit -> over.getOrDefault(limit, 0) > 0);
                if (covers) {
                    reclaimable.add(shard);
                    counts.forEach((limit, n) -> over.computeIfPresent(limit, (key, left) -> left - n));
                }
            }
        });
        return reclaimable;
    }

    /** Whether the run's queue, with this run's pending shards added, stays within its quota for their kind. */
    private boolean withinQuota(QueueQuota quota, ActiveRun run) {
        int asked = run.job.accelerators().count() * run.shardsIn(ShardState.PENDING).size();
        for (QuotaLimit limit : quota.limits()) {
            if (limit.kind().equalsIgnoreCase(run.job.accelerators().kind())
                    && term.quotas.used(quota.queue(), limit) + asked > limit.devices()) {
                return false;
            }
        }
        return true;
    }

    private static Duration longestGrace(List<ActiveRun.Victim> victims) {
        return Duration.ofSeconds(victims.stream().mapToInt(victim -> victim.run().job.preemptionGraceSeconds()).max().orElse(0));
    }

    private static String describe(List<Unit> victims) {
        Set<Long> runs = new java.util.TreeSet<>();
        victims.forEach(unit -> runs.add(unit.run().id()));
        return (runs.size() == 1 ? "run " : "runs ") + runs.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
