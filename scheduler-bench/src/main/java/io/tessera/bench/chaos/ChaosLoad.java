package io.tessera.bench.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load: cron jobs with CATCH_UP and FIRE_ONCE, a gang job, two parents sharing a child job, and a
 * job fired through the API every 500 ms (an idempotency key per trigger, retried on another admin
 * until one answers 202). Every job allows 3 retries; the workers fail a seeded share of first attempts.
 */
final class ChaosLoad {

    static final String GROUP = "chaos";
    static final String NEVER = "0 0 0 1 1 ? 2099";

    /** A cron job as created, for the verdict. */
    record Job(long id, String name, String cron, String misfire) {
    }

    private final ChaosCluster cluster;
    private final List<Job> cronJobs = new ArrayList<>();
    private final List<ChaosAnalysis.ChildLink> children = new ArrayList<>();
    private final List<Long> allJobs = new ArrayList<>();
    private final java.util.Map<Long, Integer> gangShards = new java.util.HashMap<>();
    private final AtomicBoolean triggering = new AtomicBoolean();
    private final java.util.Set<Long> acceptedRuns = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong triggersGivenUp = new AtomicLong();
    private long apiJob;
    private Thread trigger;

    ChaosLoad(ChaosCluster cluster) {
        this.cluster = cluster;
    }

    void create() throws IOException {
        ChaosApi api = cluster.api(0);
        for (int i = 1; i <= 3; i++) {
            cron(api, "catch-up-" + i, "*/1 * * * * ?", 4, "CATCH_UP", false, null);
        }
        for (int i = 1; i <= 2; i++) {
            cron(api, "fire-once-" + i, "*/2 * * * * ?", 3, "FIRE_ONCE", false, null);
        }
        cron(api, "gang", "*/5 * * * * ?", 4, "CATCH_UP", true, null);
        long child = job(api, "child", NEVER, 2, "FIRE_ONCE", false, null);
        for (int i = 1; i <= 2; i++) {
            long parent = cron(api, "parent-" + i, "*/3 * * * * ?", 2, "CATCH_UP", false, child);
            children.add(new ChaosAnalysis.ChildLink(parent, child));
        }
        apiJob = job(api, "api-triggered", NEVER, 2, "FIRE_ONCE", false, null);
    }

    private long cron(ChaosApi api, String name, String cron, int shards, String misfire, boolean gang, Long child)
            throws IOException {
        long id = job(api, name, cron, shards, misfire, gang, child);
        cronJobs.add(new Job(id, name, cron, misfire));
        return id;
    }

    private long job(ChaosApi api, String name, String cron, int shards, String misfire, boolean gang, Long child)
            throws IOException {
        ObjectNode job = ChaosApi.JSON.createObjectNode();
        job.put("name", name);
        job.put("group", GROUP);
        job.putObject("schedule").put("type", "CRON").put("expression", cron).put("timezone", "UTC");
        job.put("handler", "chaos");
        job.put("shards", shards);
        job.put("gang", gang);
        job.put("misfire", misfire);
        job.put("maxRetries", 3);
        if (child != null) {
            ArrayNode ids = job.putArray("childJobIds");
            ids.add(child);
        }
        long id = api.createJob(job);
        allJobs.add(id);
        if (gang) {
            gangShards.put(id, shards);
        }
        return id;
    }

    /** Starts the API trigger thread. */
    void startTriggers() {
        triggering.set(true);
        trigger = new Thread(this::triggerLoop, "chaos-api-triggers");
        trigger.setDaemon(true);
        trigger.start();
    }

    private void triggerLoop() {
        long n = 0;
        while (triggering.get()) {
            String key = "chaos-" + (++n);
            Instant giveUp = Instant.now().plusSeconds(30);
            boolean accepted = false;
            for (int attempt = 0; !accepted && Instant.now().isBefore(giveUp) && triggering.get(); attempt++) {
                Optional<ChaosApi> api = cluster.liveApi((int) (n + attempt));
                try {
                    if (api.isPresent()) {
                        acceptedRuns.add(api.get().trigger(apiJob, key));
                        accepted = true;
                    }
                } catch (IOException e) {
                    // that admin is dying, restarting, or has no database: the same key on the next one
                }
                if (!accepted) {
                    sleep(500);
                }
            }
            if (!accepted) {
                triggersGivenUp.incrementAndGet();
            }
            sleep(500);
        }
    }

    /** Stops triggering and pauses every job (on any admin that answers); returns when all are paused. */
    void stop() throws InterruptedException {
        triggering.set(false);
        if (trigger != null) {
            trigger.join(40_000);
        }
        for (long id : allJobs) {
            Instant giveUp = Instant.now().plusSeconds(60);
            for (int k = 0; ; k++) {
                try {
                    cluster.liveApi(k).orElseThrow(() -> new IOException("no admin alive")).pause(id);
                    break;
                } catch (IOException e) {
                    if (Instant.now().isAfter(giveUp)) {
                        System.err.println("chaos: could not pause job " + id + ": " + e.getMessage());
                        break;
                    }
                    sleep(500);
                }
            }
        }
    }

    List<Job> cronJobs() {
        return cronJobs;
    }

    List<ChaosAnalysis.ChildLink> children() {
        return children;
    }

    java.util.Map<Long, Integer> gangShards() {
        return gangShards;
    }

    long triggersAccepted() {
        return acceptedRuns.size();
    }

    java.util.Set<Long> acceptedRuns() {
        return java.util.Set.copyOf(acceptedRuns);
    }

    long triggersGivenUp() {
        return triggersGivenUp.get();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
