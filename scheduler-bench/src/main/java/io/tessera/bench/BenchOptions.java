package io.tessera.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's command line, validated when parsed. A profile sets defaults; explicit options win.
 *
 * @param loads  one trial per entry, each on a fresh cluster
 * @param dropTo after the window, pause all jobs but this many and time how long until health says UP again;
 *               0 for no such phase (the overload profile's default: a twentieth of its jobs)
 */
record BenchOptions(String profile, List<Load> loads, int agents, int slots, Duration window, Duration settle,
                    Duration resultsTimeout, Duration healthEvery, Duration sampleEvery, boolean standaloneZooKeeper,
                    Path adminJar, List<String> adminArgs, List<String> adminJvm, List<String> workerJvm,
                    String dbUrl, String dbUser, String dbPassword, Path out, boolean record, boolean keep,
                    int connections, String cron, String commandLine, Path jfr, int dropTo) {

    /** One offered load: {@code jobs} cron jobs of {@code shards} shards each. */
    record Load(int jobs, int shards) {
        String label() {
            return jobs + "×" + shards;
        }
    }

    static final String USAGE = """
            usage: java -jar scheduler-bench/target/scheduler-bench.jar [--profile PROFILE] [options]

            Starts the packaged admin (on a fresh MariaDB database), ZooKeeper and K worker JVMs as separate
            processes, creates per-second cron jobs over the HTTP API, lets them settle, measures a window and
            judges it from the workers' ledgers and the cron. Appends a table to docs/benchmarks/results.md.

            profiles (explicit options below override what a profile sets):
              single[:N]            N jobs (default 300) × 1 shard, every second
              sharded[:NxS]         N jobs × S shards (default 300x10)
              overload[:NxS]        far more than the engine can do (default 3000x1); /actuator/health every second;
                                    after the window all jobs but a twentieth are paused and the time until
                                    health says UP again is measured (the recovery)
              soak[:NxS]            a 10-minute window (default 300x10), heap and ZooKeeper nodes every 10 s
              sweep[:L1,L2,...]     offered shard runs/s (default 100,300,1000,3000), jobs = L / --shards, a fresh
                                    cluster each; also draws docs/benchmarks/lateness-throughput.png

            options:
              --jobs N --shards S   the load (one trial)                      --agents K      worker JVMs (1)
              --slots N             each worker's --slots (10000)             --window S      measured seconds (30)
              --settle S            seconds between the last job and the window (10)
              --results-timeout S   longest wait for every result of the window in the database (60)
              --zookeeper embedded|standalone   the admin's embedded server, or ZooKeeperServerMain (fsync on)
              --admin-jar PATH      (scheduler-admin/target/scheduler-admin.jar)
              --admin-arg ARG       passed to the admin, e.g. --admin-arg=--tessera.engine.tick=20ms (repeatable)
              --admin-jvm OPT       JVM option of the admin, e.g. --admin-jvm=-Xmx1g (repeatable)
              --worker-jvm OPT      JVM option of each worker (default -Xmx512m) (repeatable)
              --db-url URL          MariaDB server (jdbc:mariadb://127.0.0.1:3306/)  --db-user (root) --db-password ('')
              --out DIR             where results.md and the plot go (docs/benchmarks)
              --no-record           print only; do not touch results.md or the plot
              --keep                keep ledgers and data directories (logs are always kept)
              --connections N       concurrent HTTP connections that create the jobs (4)
              --health-every S      /actuator/health sampling period (overload 1, else 5)
              --drop-to N           after the window pause all jobs but N and time the recovery to health UP
                                    (overload: jobs / 20; 0: no recovery phase)
              --sample-every S      heap and ZooKeeper node count sampling period, 0 for none (soak 10, else 0)
              --jfr DIR             every process records CPU samples (Flight Recorder) into DIR, written at
                                    exit; read the window's part by its time ('jfr print', JDK Mission Control)
            """;

    static BenchOptions parse(String[] args) {
        String profile = "single";
        String profileArg = null;
        Integer jobs = null, shards = null, window = null;
        int agents = 1, slots = 10_000, settle = 10, resultsTimeout = 60, connections = 4;
        Integer healthEvery = null, sampleEvery = null, dropTo = null;
        boolean standalone = false, record = true, keep = false;
        Path adminJar = Path.of("scheduler-admin/target/scheduler-admin.jar");
        List<String> adminArgs = new ArrayList<>(), adminJvm = new ArrayList<>(), workerJvm = new ArrayList<>();
        String dbUrl = "jdbc:mariadb://127.0.0.1:3306/", dbUser = "root", dbPassword = "";
        Path out = Path.of("docs/benchmarks");
        Path jfr = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=");
            switch (name) {
                case "--no-record" -> record = false;
                case "--keep" -> keep = true;
                case "--help", "-h" -> throw new UsageException(null);
                default -> {
                    String value;
                    if (inline) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new UsageException(name + " needs a value");
                    }
                    switch (name) {
                        case "--profile" -> {
                            int colon = value.indexOf(':');
                            profile = colon < 0 ? value : value.substring(0, colon);
                            profileArg = colon < 0 ? null : value.substring(colon + 1);
                        }
                        case "--jobs" -> jobs = positive(name, value);
                        case "--shards" -> shards = positive(name, value);
                        case "--agents" -> agents = positive(name, value);
                        case "--slots" -> slots = positive(name, value);
                        case "--window" -> window = positive(name, value);
                        case "--settle" -> settle = nonNegative(name, value);
                        case "--results-timeout" -> resultsTimeout = positive(name, value);
                        case "--health-every" -> healthEvery = positive(name, value);
                        case "--sample-every" -> sampleEvery = nonNegative(name, value);
                        case "--connections" -> connections = positive(name, value);
                        case "--drop-to" -> dropTo = nonNegative(name, value);
                        case "--zookeeper" -> {
                            if (!value.equals("embedded") && !value.equals("standalone")) {
                                throw new UsageException("--zookeeper is embedded or standalone, not '" + value + "'");
                            }
                            standalone = value.equals("standalone");
                        }
                        case "--admin-jar" -> adminJar = Path.of(value);
                        case "--admin-arg" -> adminArgs.add(value);
                        case "--admin-jvm" -> adminJvm.add(value);
                        case "--worker-jvm" -> workerJvm.add(value);
                        case "--db-url" -> dbUrl = value;
                        case "--db-user" -> dbUser = value;
                        case "--db-password" -> dbPassword = value;
                        case "--out" -> out = Path.of(value);
                        case "--jfr" -> jfr = Path.of(value);
                        default -> throw new UsageException("unknown option '" + name + "'");
                    }
                }
            }
        }
        if (workerJvm.isEmpty()) {
            workerJvm.add("-Xmx512m");
        }
        List<Load> loads = new ArrayList<>();
        int defaultWindow = 30, defaultHealth = 5, defaultSample = 0, defaultDropTo = 0;
        switch (profile) {
            case "single", "jobs" -> {
                profile = "single";
                loads.add(new Load(jobs != null ? jobs : profileArg != null ? positive("single", profileArg) : 300,
                        shards != null ? shards : 1));
            }
            case "sharded", "overload", "soak" -> {
                Load given = profileArg == null ? null : parseLoad(profile, profileArg);
                Load fallback = profile.equals("overload") ? new Load(3000, 1) : new Load(300, 10);
                Load base = given != null ? given : fallback;
                loads.add(new Load(jobs != null ? jobs : base.jobs(), shards != null ? shards : base.shards()));
                if (profile.equals("overload")) {
                    defaultHealth = 1;
                    defaultDropTo = Math.max(1, loads.get(0).jobs() / 20);
                }
                if (profile.equals("soak")) {
                    defaultWindow = 600;
                    defaultSample = 10;
                }
            }
            case "sweep" -> {
                int s = shards != null ? shards : 1;
                String list = profileArg != null ? profileArg : "100,300,1000,3000";
                for (String item : list.split(",")) {
                    int offered = positive("sweep", item.trim());
                    if (offered % s != 0) {
                        throw new UsageException("sweep load " + offered + " is not a multiple of --shards " + s);
                    }
                    loads.add(new Load(offered / s, s));
                }
                if (jobs != null) {
                    throw new UsageException("sweep takes offered loads, not --jobs");
                }
            }
            default -> throw new UsageException("unknown profile '" + profile + "'");
        }
        int kept = dropTo != null ? dropTo : defaultDropTo;
        if (kept > 0 && loads.stream().anyMatch(l -> kept >= l.jobs())) {
            throw new UsageException("--drop-to " + kept + " must be fewer than the jobs of each load");
        }
        return new BenchOptions(profile, List.copyOf(loads), agents, slots,
                Duration.ofSeconds(window != null ? window : defaultWindow), Duration.ofSeconds(settle),
                Duration.ofSeconds(resultsTimeout), Duration.ofSeconds(healthEvery != null ? healthEvery : defaultHealth),
                Duration.ofSeconds(sampleEvery != null ? sampleEvery : defaultSample), standalone, adminJar,
                List.copyOf(adminArgs), List.copyOf(adminJvm), List.copyOf(workerJvm), dbUrl, dbUser, dbPassword, out,
                record, keep, connections, "* * * * * ?", commandLine(args), jfr, kept);
    }

    private static Load parseLoad(String profile, String text) {
        String[] parts = text.toLowerCase().split("[x×]");
        if (parts.length != 2) {
            throw new UsageException(profile + " takes JOBSxSHARDS, e.g. " + profile + ":300x10, not '" + text + "'");
        }
        return new Load(positive(profile, parts[0]), positive(profile, parts[1]));
    }

    private static int positive(String name, String value) {
        int n = nonNegative(name, value);
        if (n == 0) {
            throw new UsageException(name + " must be positive");
        }
        return n;
    }

    private static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new UsageException(name + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, not '" + value + "'");
        }
    }

    private static String commandLine(String[] args) {
        StringBuilder b = new StringBuilder("java -jar scheduler-bench/target/scheduler-bench.jar");
        for (String arg : args) {
            boolean plain = arg.matches("[A-Za-z0-9_.,:=/@%+×-]+");
            b.append(' ').append(plain ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    /** A bad command line; a null message asks for the usage alone. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
