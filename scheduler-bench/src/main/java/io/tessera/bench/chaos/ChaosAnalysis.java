package io.tessera.bench.chaos;

import io.tessera.bench.chaos.ChaosRecord.ShardKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a chaos run from the workers' ledgers, the schedule (the cron's own fire times) and the
 * database's rows; never from Tessera's counters or its own idea of what happened. Pure: no clock, no
 * files, no processes.
 */
public final class ChaosAnalysis {

    private static final int EXAMPLES_PER_KIND = 5;

    /** A run row: {@code status} is job_run.status, {@code kind} its trigger_kind. */
    public record DbRun(long id, long jobId, String kind, Instant scheduledAt, String status) {
    }

    /** A cron job of the load and the fires the cron has for it in the judged window, in order. */
    public record CronJob(long jobId, String misfirePolicy, List<Instant> expectedFires) {
    }

    /** A parent job and its child: every SUCCEEDED run of the parent must give the child one CHILD run. */
    public record ChildLink(long parentJobId, long childJobId) {
    }

    /** An admin's term as its log says: from "is now the leader" to "is no longer the leader", its death, or the end. */
    public record Term(String admin, Instant from, Instant to) {
    }

    /** A span during which an admin could not act (SIGSTOP until SIGCONT, or dead). */
    public record Frozen(String admin, Instant from, Instant to) {
    }

    /**
     * @param gangShards the gang jobs and their rank count: a gang attempt with a failed or lost rank
     *                   restarts whole, so its ranks that had succeeded run again by design; only
     *                   successes of gang attempts whose every rank succeeded count towards "twice"
     * @param acceptedTriggerRuns the run ids of API triggers answered 202
     */
    public record Input(Collection<ChaosRecord> records, Collection<DbRun> runs, Map<ShardKey, String> shardStatus,
                        List<CronJob> cronJobs, List<ChildLink> children, List<Term> terms, List<Frozen> frozen,
                        Map<Long, Integer> gangShards, Set<Long> acceptedTriggerRuns) {
    }

    private ChaosAnalysis() {
    }

    public static ChaosVerdict analyse(Input in) {
        Map<String, Long> v = ChaosVerdict.emptyViolations();
        Map<String, Long> obs = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        Map<String, Integer> exampleCount = new HashMap<>();
        Recorder r = (name, count, example) -> {
            v.merge(name, count, Long::sum);
            if (exampleCount.merge(name, 1, Integer::sum) <= EXAMPLES_PER_KIND) {
                examples.add(name + ": " + example);
            }
        };

        Map<ShardKey, List<ChaosRecord>> byShard = new HashMap<>();
        for (ChaosRecord rec : in.records()) {
            byShard.computeIfAbsent(rec.key(), k -> new ArrayList<>()).add(rec);
        }
        Map<Long, DbRun> runs = new HashMap<>();
        in.runs().forEach(run -> runs.put(run.id(), run));
        Set<String> wholeGangAttempts = wholeGangAttempts(in);

        long starts = 0, successes = 0, refused = 0, attemptReused = 0, failedFirst = 0;
        for (Map.Entry<ShardKey, List<ChaosRecord>> e : byShard.entrySet()) {
            ShardKey key = e.getKey();
            List<ChaosRecord> recs = e.getValue();
            List<ChaosRecord> ok = recs.stream().filter(ChaosRecord::succeeded).toList();
            List<ChaosRecord> startRecs = recs.stream().filter(x -> x.kind() == 'S').toList();
            starts += startRecs.size();
            successes += ok.size();
            failedFirst += recs.stream().filter(x -> x.kind() == 'F' && x.outcome().equals("FAILED")).count();
            List<ChaosRecord> counted = ok.stream().filter(x -> !in.gangShards().containsKey(x.jobId())
                    || wholeGangAttempts.contains(x.runId() + "/" + x.attempt())).toList();
            if (counted.size() > 1) {
                r.record(ChaosVerdict.DOUBLE_SUCCESS, key + " finished OK " + counted.size() + " times: " + describe(counted));
            }
            Set<Integer> attempts = new HashSet<>();
            for (ChaosRecord s : startRecs) {
                if (!attempts.add(s.attempt())) {
                    attemptReused++;
                }
            }
            if (!runs.containsKey(key.runId()) && !startRecs.isEmpty()) {
                r.record(ChaosVerdict.STARTS_WITHOUT_RUN, key + " started on " + startRecs.get(0).executorId());
            }
            // The newest holder decides the outcome; a success of it must be in the database.
            ChaosRecord newest = startRecs.stream().max((a, b) -> Long.compare(a.token(), b.token())).orElse(null);
            boolean newestSucceeded = newest != null && ok.stream().anyMatch(x -> x.token() == newest.token());
            String status = in.shardStatus().get(key);
            if (newestSucceeded && !"SUCCEEDED".equals(status)) {
                r.record(ChaosVerdict.LOST_RESULTS, key + " finished OK (token " + newest.token() + ") but the database says "
                        + status);
            }
            fencing(recs, startRecs, r);
            refused += recs.stream().filter(x -> x.kind() == 'W' && x.outcome().equals("REFUSED")).count();
        }
        in.shardStatus().forEach((key, status) -> {
            if ("SUCCEEDED".equals(status)
                    && byShard.getOrDefault(key, List.of()).stream().noneMatch(ChaosRecord::succeeded)) {
                r.record(ChaosVerdict.PHANTOM_SUCCESSES, key + " is SUCCEEDED with no handler success in any ledger");
            }
        });
        for (long id : in.acceptedTriggerRuns()) {
            if (!runs.containsKey(id)) {
                r.record(ChaosVerdict.LOST_TRIGGERS, "API trigger answered 202 with run " + id + ", which the database does not have");
            }
        }
        Set<Long> startedRuns = new HashSet<>();
        byShard.forEach((key, recs) -> {
            if (recs.stream().anyMatch(x -> x.kind() == 'S')) {
                startedRuns.add(key.runId());
            }
        });
        for (DbRun run : in.runs()) {
            // The suite never cancels: a cancelled run that had started was cancelled by the engine under its feet.
            if (run.status().equals("CANCELLED") && startedRuns.contains(run.id())) {
                r.record(ChaosVerdict.CANCELLED_WHILE_RUNNING, "run " + run.id() + " of job " + run.jobId() + " ("
                        + run.kind() + " " + run.scheduledAt() + ") is CANCELLED although a handler had started it");
            }
            if (!isTerminal(run.status())) {
                r.record(ChaosVerdict.RUNS_NOT_ENDED, "run " + run.id() + " of job " + run.jobId() + " (" + run.kind()
                        + " " + run.scheduledAt() + ") is " + run.status());
            }
        }
        cronFires(in, r);
        childFires(in, r);
        leaders(in, r, obs);

        obs.put("handler starts", starts);
        obs.put("handler successes", successes);
        obs.put("handler failures (seeded, refused or cancelled)", failedFirst);
        obs.put("starts that reused an attempt number of their shard", attemptReused);
        obs.put("stale writes the fenced store refused", refused);
        obs.put("runs in the database", (long) in.runs().size());
        return new ChaosVerdict(v, obs, examples);
    }

    /** "run/attempt" of the gang attempts in which every rank finished OK. */
    private static Set<String> wholeGangAttempts(Input in) {
        Map<String, Set<Integer>> okRanks = new HashMap<>();
        Map<String, Integer> size = new HashMap<>();
        for (ChaosRecord rec : in.records()) {
            Integer ranks = in.gangShards().get(rec.jobId());
            if (ranks != null && rec.succeeded()) {
                String attempt = rec.runId() + "/" + rec.attempt();
                okRanks.computeIfAbsent(attempt, k -> new HashSet<>()).add(rec.shard());
                size.put(attempt, ranks);
            }
        }
        Set<String> whole = new HashSet<>();
        okRanks.forEach((attempt, ranks) -> {
            if (ranks.size() >= size.get(attempt)) {
                whole.add(attempt);
            }
        });
        return whole;
    }

    /**
     * A write is stale when a holder with a higher token had started (and so announced its token to the
     * store) before the write began; the store must refuse exactly those.
     */
    private static void fencing(List<ChaosRecord> recs, List<ChaosRecord> startRecs, Recorder r) {
        for (ChaosRecord w : recs) {
            if (w.kind() != 'W') {
                continue;
            }
            boolean stale = startRecs.stream().anyMatch(s -> s.token() > w.token() && s.micros() < w.micros());
            boolean newerExists = startRecs.stream().anyMatch(s -> s.token() > w.token());
            if (w.outcome().equals("ACCEPTED") && stale) {
                r.record(ChaosVerdict.STALE_WRITE_ACCEPTED, w.key() + " token " + w.token() + " on " + w.executorId()
                        + " accepted after a newer holder started");
            } else if (w.outcome().equals("REFUSED") && !newerExists) {
                r.record(ChaosVerdict.REFUSED_NOT_STALE, w.key() + " token " + w.token() + " on " + w.executorId()
                        + " refused with no newer holder in any ledger");
            }
        }
    }

    /**
     * CATCH_UP: every fire of the window must have started. FIRE_ONCE: fires may be missing only when
     * the newest of the missed ones ran in their place, so a gap of missing fires must be followed by a
     * fire that ran (the one the policy keeps). Other policies are not judged.
     */
    private static void cronFires(Input in, Recorder r) {
        Map<Long, Set<Instant>> started = new HashMap<>();
        for (ChaosRecord rec : in.records()) {
            if (rec.kind() == 'S') {
                started.computeIfAbsent(rec.jobId(), k -> new HashSet<>()).add(ChaosRecord.instant(rec.scheduledAtMicros()));
            }
        }
        for (CronJob job : in.cronJobs()) {
            Set<Instant> ran = started.getOrDefault(job.jobId(), Set.of());
            List<Instant> fires = job.expectedFires();
            switch (job.misfirePolicy()) {
                case "CATCH_UP" -> fires.stream().filter(f -> !ran.contains(f)).forEach(f ->
                        r.record(ChaosVerdict.LOST_FIRES, "job " + job.jobId() + " (CATCH_UP) never started its fire " + f));
                case "FIRE_ONCE" -> {
                    for (int i = 0; i < fires.size(); i++) {
                        if (ran.contains(fires.get(i))) {
                            continue;
                        }
                        int j = i;
                        while (j < fires.size() && !ran.contains(fires.get(j))) {
                            j++;
                        }
                        if (j == fires.size()) {
                            for (int k = i; k < j; k++) {
                                r.record(ChaosVerdict.LOST_FIRES, "job " + job.jobId()
                                        + " (FIRE_ONCE) missed its fire " + fires.get(k) + " and no later fire of the window ran");
                            }
                        }
                        i = j;
                    }
                }
                default -> {
                    // SKIP may drop any fire that came due while nobody led: nothing to hold it to.
                }
            }
        }
    }

    /** Each SUCCEEDED run of a parent must give its child one CHILD run, however many parents share the child. */
    private static void childFires(Input in, Recorder r) {
        Map<Long, Set<Long>> parentsByChild = new LinkedHashMap<>();
        in.children().forEach(l -> parentsByChild.computeIfAbsent(l.childJobId(), k -> new HashSet<>()).add(l.parentJobId()));
        parentsByChild.forEach((child, parents) -> {
            long expected = in.runs().stream().filter(x -> parents.contains(x.jobId()) && x.status().equals("SUCCEEDED")).count();
            long actual = in.runs().stream().filter(x -> x.jobId() == child && x.kind().equals("CHILD")).count();
            if (actual < expected) {
                r.record(ChaosVerdict.LOST_CHILD_FIRES, expected - actual, "child job " + child + " has " + actual
                        + " CHILD run(s) for " + expected + " SUCCEEDED run(s) of its parent(s) " + parents);
            }
        });
    }

    /** Two terms of different admins overlap, and during the overlap neither admin was frozen. */
    private static void leaders(Input in, Recorder r, Map<String, Long> obs) {
        List<Term> terms = in.terms();
        long maxOverlapMillis = 0;
        for (int i = 0; i < terms.size(); i++) {
            for (int j = i + 1; j < terms.size(); j++) {
                Term a = terms.get(i), b = terms.get(j);
                if (a.admin().equals(b.admin())) {
                    continue;
                }
                Instant from = max(a.from(), b.from());
                Instant to = min(a.to(), b.to());
                if (!from.isBefore(to)) {
                    continue;
                }
                long active = activeMillis(from, to, a.admin(), b.admin(), in.frozen());
                if (active > 0) {
                    maxOverlapMillis = Math.max(maxOverlapMillis, active);
                    r.record(ChaosVerdict.LEADER_OVERLAP, a.admin() + " and " + b.admin() + " both led, both running, for "
                            + active + " ms from " + from);
                }
            }
        }
        obs.put("leader terms", (long) terms.size());
        obs.put("longest overlap of two running leaders (ms)", maxOverlapMillis);
    }

    /** Milliseconds of [from, to) during which neither admin was frozen. */
    static long activeMillis(Instant from, Instant to, String a, String b, List<Frozen> frozen) {
        long active = 0;
        long step = 1;
        // Millisecond sweep over the overlap; overlaps are seconds at most, so this stays cheap.
        for (long t = from.toEpochMilli(); t < to.toEpochMilli(); t += step) {
            Instant at = Instant.ofEpochMilli(t);
            boolean someoneFrozen = frozen.stream().anyMatch(f -> (f.admin().equals(a) || f.admin().equals(b))
                    && !at.isBefore(f.from()) && at.isBefore(f.to()));
            if (!someoneFrozen) {
                active++;
            }
        }
        return active;
    }

    static boolean isTerminal(String status) {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT" -> true;
            default -> false;
        };
    }

    private static String describe(List<ChaosRecord> recs) {
        StringBuilder s = new StringBuilder();
        for (ChaosRecord x : recs) {
            s.append(s.isEmpty() ? "" : "; ").append("attempt ").append(x.attempt()).append(" token ").append(x.token())
                    .append(" on ").append(x.executorId());
        }
        return s.toString();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private interface Recorder {
        void record(String violation, long count, String example);

        default void record(String violation, String example) {
            record(violation, 1, example);
        }
    }
}
