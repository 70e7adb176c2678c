package io.tessera.bench.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Injects faults on a seeded schedule and remembers what it did and when. Restarts are scheduled on
 * their own thread so that one fault's recovery overlaps the next fault, as it would in production.
 */
final class ChaosFaults {

    enum Kind {
        LEADER_KILL("kill -9 of the leader admin, restarted 5 s later"),
        FOLLOWER_KILL("kill -9 of a follower admin, restarted 5 s later"),
        AGENT_KILL("kill -9 of an agent, restarted 8 s later with the same executor id"),
        AGENT_ZOMBIE("SIGSTOP of an agent for session timeout + 4 s, then SIGCONT"),
        ZK_ONE("kill -9 of one ZooKeeper server, restarted 5 s later"),
        ZK_QUORUM("kill -9 of two of three ZooKeeper servers (quorum lost), restarted 8 s later"),
        DB_RESTART("kill -9 of MariaDB, restarted 5 s later (crash recovery)"),
        SESSION_EXPIRY("SIGSTOP of the leader admin for session timeout + 4 s, then SIGCONT: its session expires server-side"),
        NET_DELAY("tc delay on every packet of one agent (its own network namespace) for 20 s");

        final String what;

        Kind(String what) {
            this.what = what;
        }
    }

    /** One fault: {@code at} when it struck, {@code recovered} when the restart or SIGCONT was done. */
    record Fault(Kind kind, String target, Instant at, Instant recovered, String note) {
    }

    private static final Duration FROZEN = ChaosCluster.SESSION_TIMEOUT.plusSeconds(4);
    private static final Duration DELAYED = Duration.ofSeconds(20);

    private final ChaosCluster cluster;
    private final Random random;
    private final List<Fault> done = new CopyOnWriteArrayList<>();
    private final List<ChaosAnalysis.Frozen> frozenAdmins = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-restarts");
        t.setDaemon(true);
        return t;
    });

    ChaosFaults(ChaosCluster cluster, long seed) {
        this.cluster = cluster;
        this.random = new Random(seed);
    }

    /** Every kind once, in a seeded order in which a single ZooKeeper restart comes before the quorum's. */
    List<Kind> eachOnce() {
        List<Kind> kinds = new ArrayList<>(List.of(Kind.values()));
        Collections.shuffle(kinds, random);
        int one = kinds.indexOf(Kind.ZK_ONE), quorum = kinds.indexOf(Kind.ZK_QUORUM);
        if (one > quorum) {
            Collections.swap(kinds, one, quorum);
        }
        return kinds;
    }

    Kind any() {
        Kind[] all = Kind.values();
        return all[random.nextInt(all.length)];
    }

    /** Seconds to wait before the next fault: {@code mean} ± 25 %, seeded. */
    long gapSeconds(long mean) {
        long spread = Math.max(1, mean / 4);
        return mean - spread + random.nextInt((int) (2 * spread + 1));
    }

    void inject(Kind kind) {
        try {
            switch (kind) {
                case LEADER_KILL -> leaderKill();
                case FOLLOWER_KILL -> followerKill();
                case AGENT_KILL -> agentKill();
                case AGENT_ZOMBIE -> agentZombie();
                case ZK_ONE -> zooKeeper(1, 5);
                case ZK_QUORUM -> zooKeeper(2, 8);
                case DB_RESTART -> database();
                case SESSION_EXPIRY -> sessionExpiry();
                case NET_DELAY -> networkDelay();
            }
        } catch (Exception e) {
            System.err.println("chaos: fault " + kind + " failed: " + e);
            done.add(new Fault(kind, "-", Instant.now(), Instant.now(), "failed: " + e));
        }
    }

    private void leaderKill() throws InterruptedException {
        Optional<Integer> leader = awaitLeader();
        if (leader.isEmpty()) {
            done.add(new Fault(Kind.LEADER_KILL, "-", Instant.now(), Instant.now(), "skipped: no admin named a leader within 30 s"));
            return;
        }
        killAdmin(Kind.LEADER_KILL, leader.get());
    }

    private void followerKill() throws InterruptedException {
        Optional<Integer> leader = awaitLeader();
        List<Integer> followers = new ArrayList<>();
        for (int i = 0; i < ChaosCluster.ADMINS; i++) {
            if ((leader.isEmpty() || leader.get() != i) && cluster.admin(i).alive()) {
                followers.add(i);
            }
        }
        if (followers.isEmpty()) {
            done.add(new Fault(Kind.FOLLOWER_KILL, "-", Instant.now(), Instant.now(), "skipped: no live follower"));
            return;
        }
        killAdmin(Kind.FOLLOWER_KILL, followers.get(random.nextInt(followers.size())));
    }

    private void killAdmin(Kind kind, int i) {
        Instant at = cluster.admin(i).kill();
        restarts.schedule(() -> {
            try {
                cluster.startAdmin(i);
                Instant back = Instant.now();
                frozenAdmins.add(new ChaosAnalysis.Frozen(ChaosCluster.adminId(i), at, back));
                done.add(new Fault(kind, ChaosCluster.adminId(i), at, back, ""));
            } catch (Exception e) {
                System.err.println("chaos: restarting " + ChaosCluster.adminId(i) + " failed: " + e);
                done.add(new Fault(kind, ChaosCluster.adminId(i), at, at, "restart failed: " + e));
            }
        }, 5, TimeUnit.SECONDS);
    }

    private void agentKill() throws InterruptedException {
        int i = liveWorker();
        Instant at = cluster.worker(i).kill();
        restarts.schedule(() -> {
            try {
                cluster.startWorker(i);
                done.add(new Fault(Kind.AGENT_KILL, ChaosCluster.workerId(i), at, Instant.now(), ""));
            } catch (Exception e) {
                done.add(new Fault(Kind.AGENT_KILL, ChaosCluster.workerId(i), at, at, "restart failed: " + e));
            }
        }, 8, TimeUnit.SECONDS);
    }

    private void agentZombie() throws InterruptedException {
        int i = liveWorker();
        ChaosProcess worker = cluster.worker(i);
        worker.signal("STOP");
        Instant at = Instant.now(); // kill(1) has returned: the worker is stopped by now
        restarts.schedule(() -> {
            worker.signal("CONT");
            done.add(new Fault(Kind.AGENT_ZOMBIE, ChaosCluster.workerId(i), at, Instant.now(), ""));
        }, FROZEN.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void zooKeeper(int servers, int downSeconds) {
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
        Collections.shuffle(order, random);
        List<Integer> victims = order.subList(0, servers);
        Instant at = Instant.now();
        victims.forEach(cluster::killZooKeeper);
        String target = victims.stream().map(v -> "zk-" + (v + 1)).reduce((a, b) -> a + "," + b).orElse("-");
        restarts.schedule(() -> {
            try {
                for (int v : victims) {
                    cluster.startZooKeeper(v);
                }
                done.add(new Fault(servers == 1 ? Kind.ZK_ONE : Kind.ZK_QUORUM, target, at, Instant.now(), ""));
            } catch (Exception e) {
                done.add(new Fault(servers == 1 ? Kind.ZK_ONE : Kind.ZK_QUORUM, target, at, at, "restart failed: " + e));
            }
        }, downSeconds, TimeUnit.SECONDS);
    }

    private void database() {
        Instant at = Instant.now();
        cluster.killDatabase();
        restarts.schedule(() -> {
            try {
                cluster.startDatabase(false);
                done.add(new Fault(Kind.DB_RESTART, "mariadb", at, Instant.now(), ""));
            } catch (Exception e) {
                done.add(new Fault(Kind.DB_RESTART, "mariadb", at, at, "restart failed: " + e));
            }
        }, 5, TimeUnit.SECONDS);
    }

    private void sessionExpiry() throws InterruptedException {
        Optional<Integer> leader = awaitLeader();
        if (leader.isEmpty()) {
            done.add(new Fault(Kind.SESSION_EXPIRY, "-", Instant.now(), Instant.now(), "skipped: no leader within 30 s"));
            return;
        }
        int i = leader.get();
        ChaosProcess admin = cluster.admin(i);
        admin.signal("STOP");
        Instant at = Instant.now(); // kill(1) has returned: the admin is stopped by now
        restarts.schedule(() -> {
            // Frozen for certain from when STOP returned until CONT is sent: the span that excuses it.
            frozenAdmins.add(new ChaosAnalysis.Frozen(ChaosCluster.adminId(i), at, Instant.now()));
            admin.signal("CONT");
            done.add(new Fault(Kind.SESSION_EXPIRY, ChaosCluster.adminId(i), at, Instant.now(), ""));
        }, FROZEN.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void networkDelay() throws java.io.IOException {
        String target = ChaosCluster.workerId(ChaosCluster.ISOLATED_WORKER);
        Optional<ChaosNetwork> network = cluster.network();
        if (network.isEmpty() || network.get().delayKind() == null) {
            String why = network.isEmpty() ? cluster.networkRefusal() : network.get().delayRefusal();
            done.add(new Fault(Kind.NET_DELAY, target, Instant.now(), Instant.now(), "skipped: " + why));
            return;
        }
        ChaosNetwork net = network.get();
        Instant at = Instant.now();
        try {
            net.delay();
        } catch (java.io.IOException e) {
            net.undelay();
            throw e;
        }
        restarts.schedule(() -> {
            net.undelay();
            done.add(new Fault(Kind.NET_DELAY, target, at, Instant.now(), net.delayKind().what));
        }, DELAYED.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The live worker with the most shards in flight (started, not finished, by its ledger), so that an
     * agent fault hits running work; waits up to 5 s for one to have any.
     */
    private int liveWorker() throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(5);
        int best = -1;
        while (true) {
            long most = -1;
            for (int i = 0; i < ChaosCluster.WORKERS; i++) {
                if (cluster.worker(i).alive()) {
                    long n = inFlight(cluster.ledger(i));
                    if (n > most || n == most && random.nextBoolean()) {
                        most = n;
                        best = i;
                    }
                }
            }
            if (most > 0 || !Instant.now().isBefore(giveUp)) {
                return best < 0 ? 0 : best;
            }
            Thread.sleep(200);
        }
    }

    private static long inFlight(java.nio.file.Path ledger) {
        try {
            java.util.Set<String> open = new java.util.HashSet<>();
            for (ChaosRecord r : ChaosEvidence.ledgers(List.of(ledger)).records()) {
                String key = r.runId() + "/" + r.shard() + "/" + r.token();
                if (r.kind() == 'S') {
                    open.add(key);
                } else if (r.kind() == 'F') {
                    open.remove(key);
                }
            }
            return open.size();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private Optional<Integer> awaitLeader() throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(giveUp)) {
            Optional<Integer> leader = cluster.leader();
            if (leader.isPresent() && cluster.admin(leader.get()).alive()) {
                return leader;
            }
            Thread.sleep(500);
        }
        return Optional.empty();
    }

    /** Waits for every pending restart and SIGCONT. */
    void finish() throws InterruptedException {
        restarts.shutdown();
        if (!restarts.awaitTermination(60, TimeUnit.SECONDS)) {
            System.err.println("chaos: restarts still pending after 60 s");
        }
    }

    List<Fault> faults() {
        return done.stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
    }

    List<ChaosAnalysis.Frozen> frozenAdmins() {
        return List.copyOf(frozenAdmins);
    }
}
