package io.tessera.executor;

import io.netty.handler.ssl.SslContext;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.RequestSigner;
import io.tessera.executor.claim.ClaimService;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.device.DeviceHealthMonitor;
import io.tessera.executor.device.KernelLog;
import io.tessera.executor.device.DeviceInventory;
import io.tessera.executor.device.DeviceVisibility;
import io.tessera.executor.device.NvidiaSampler;
import io.tessera.executor.device.NvidiaSmiDetector;
import io.tessera.executor.endpoint.AgentServer;
import io.tessera.executor.endpoint.AgentTls;
import io.tessera.executor.handler.CommandHandler;
import io.tessera.executor.handler.HandlerRegistry;
import io.tessera.executor.log.LogJanitor;
import io.tessera.executor.log.ShardLogFiles;
import io.tessera.executor.registry.Registrar;
import io.tessera.executor.report.AdminTrust;
import io.tessera.executor.report.HttpResultReporter;
import io.tessera.executor.report.LiveAdmins;
import io.tessera.executor.report.ReportDispatcher;
import io.tessera.executor.report.ResultBatcher;
import io.tessera.executor.report.ResultReporter;
import io.tessera.executor.report.ResultSpool;
import io.tessera.executor.run.ConnectionGuard;
import io.tessera.executor.run.ServerContact;
import io.tessera.executor.run.ShardLeases;
import io.tessera.executor.run.ShardRunner;
import io.tessera.executor.run.ShardThreads;
import io.tessera.executor.run.ShardWorkers;
import io.tessera.executor.run.StopReason;
import io.tessera.executor.run.TriggerService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The executor agent: registers in ZooKeeper with its devices, serves signed triggers over HTTP,
 * claims shards exactly once, runs their handlers and reports their results durably.
 *
 * <pre>{@code
 * TesseraAgent agent = new TesseraAgent(AgentConfig.builder().zookeeper("zk:2181").secret(secret).build());
 * agent.handlers().register("resize", ctx -> HandlerResult.succeeded());
 * agent.start();
 * ...
 * agent.close();
 * }</pre>
 */
public final class TesseraAgent implements Closeable {

    private enum State { LATENT, STARTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(TesseraAgent.class);

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final AgentConfig config;
    private final ResultReporter customReporter;
    private final HandlerRegistry handlers = new HandlerRegistry();
    /** To the millisecond, as every instant is once it crossed the wire or reached the database. */
    private final Clock clock = Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));
    private final String executorId;

    private ScheduledThreadPoolExecutor scheduler;
    private ScheduledThreadPoolExecutor startTimer;
    private ExecutorService io;
    private ExecutorService completionDrainer;
    private ExecutorService resultDrainer;
    private ExecutorService workers;
    private CuratorFramework curator;
    private ResultBatcher reports;
    private ClaimService claims;
    private ShardRunner runner;
    private ConnectionGuard guard;
    private AgentServer server;
    private LocalAgentApi api;
    private Registrar registrar;
    private volatile ExecutorCard card;
    private DeviceHealthMonitor health;
    private int port;

    public TesseraAgent(AgentConfig config) {
        this(config, null);
    }

    /** @param reporter where results go; null for the HTTP reporter to the admin */
    public TesseraAgent(AgentConfig config, ResultReporter reporter) {
        this.config = config;
        this.customReporter = reporter;
        this.executorId = config.executorId() != null ? config.executorId()
                : config.advertisedHost() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates and starts an agent in one step. */
    public static TesseraAgent start(AgentConfig config, ResultReporter reporter) throws IOException, InterruptedException {
        TesseraAgent agent = new TesseraAgent(config, reporter);
        try {
            agent.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /** Handlers by name; register before or after {@link #start()}. */
    public HandlerRegistry handlers() {
        return handlers;
    }

    /**
     * Connects to ZooKeeper, binds the endpoint, registers, and re-sends spooled results.
     *
     * @throws IOException when ZooKeeper cannot be reached within the connection timeout or a directory cannot be made
     */
    public void start() throws IOException, InterruptedException {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("an agent can be started once");
        }
        Files.createDirectories(config.logDir());
        // Read before anything starts, so that a bad PEM file stops the agent with a message naming its option.
        SslContext endpointTls = AgentTls.serverContext(config);
        SSLContext adminTrust = AdminTrust.context(config);
        DeviceInventory devices = DeviceInventory.from(config);
        scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads("tessera-agent-timer", true));
        scheduler.setRemoveOnCancelPolicy(true);
        startTimer = new ScheduledThreadPoolExecutor(1, new NamedThreads("tessera-start-timer", true));
        startTimer.setRemoveOnCancelPolicy(true);
        io = Executors.newFixedThreadPool(2, new NamedThreads("tessera-agent-io", true));
        completionDrainer = Executors.newSingleThreadExecutor(new NamedThreads("tessera-completions", true));
        resultDrainer = Executors.newSingleThreadExecutor(new NamedThreads("tessera-results", true));
        workers = ShardWorkers.pool(config.slots(), new NamedThreads("tessera-shard", true));

        curator = config.zookeeperAccess().apply(CuratorFrameworkFactory.builder())
                .connectString(config.zookeeper())
                .namespace(config.namespace())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) config.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 2000))
                .build();
        long connecting = System.nanoTime();
        curator.start();
        if (!curator.blockUntilConnected((int) config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("cannot reach ZooKeeper at " + config.zookeeper() + " within " + config.connectionTimeout());
        }
        requireZooKeeperAccess();

        RequestSigner signer = new RequestSigner(config.secret(), config.previousSecret(), clock, config.maxClockSkew());
        ResultReporter reporter = customReporter != null ? customReporter
                : new HttpResultReporter(signer, config.reportTimeout(), io, adminTrust);
        ReportDispatcher dispatcher = new ReportDispatcher(new ResultSpool(config.spoolDir()), reporter, config.adminUrl(),
                scheduler, config.reportRetryInitial(), config.reportRetryMax(), new LiveAdmins(curator),
                config.maxResultBatchBytes());
        reports = new ResultBatcher(dispatcher, resultDrainer);
        ShardLogFiles logs = new ShardLogFiles(config.logDir());
        ShardLeases leases = new ShardLeases();
        claims = new ClaimService(curator, executorId, completionDrainer, scheduler, clock, leases,
                config.zookeeperAccess().acl());
        guard = new ConnectionGuard(() -> runner.stopAll(StopReason.CONNECTION_LOST),
                new ServerContact(curator, connecting, config.sessionTimeout()), config.killGrace(), true);
        runner = new ShardRunner(executorId, config.slots(), claims, reports, logs, leases,
                new ShardThreads(workers, startTimer, scheduler), clock, guard::connected, guard::pastDeadline);
        curator.getConnectionStateListenable().addListener(guard);
        guard.start(scheduler);
        TriggerService triggers = new TriggerService(executorId, handlers,
                config.allowCommand() ? new CommandHandler(config.killGrace(), new DeviceVisibility(devices)) : null, devices, claims,
                runner, guard::connected);

        api = new LocalAgentApi(executorId, config.group(), config.slots(), triggers, runner, logs, devices);
        server = new AgentServer(config.bindHost(), config.port(), api,
                signer, config.maxRequestBytes(), config.idleTimeout(), io, endpointTls);
        port = server.start();
        card = new ExecutorCard(executorId, config.group(), config.advertisedHost() + ":" + port, devices.devices(),
                config.slots(), config.labels(), config.version(), config.tls() ? ExecutorCard.HTTPS : ExecutorCard.HTTP);
        registrar = new Registrar(curator, card);
        registrar.start();
        if (!registrar.awaitRegistered(config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("could not register in ZooKeeper within " + config.connectionTimeout());
        }
        dispatcher.resend();
        if (config.detectDevices()) {
            health = new DeviceHealthMonitor(devices, new NvidiaSampler(new NvidiaSmiDetector(config.nvidiaSmi(), config.detectTimeout())),
                    KernelLog.of(config.xidSource(), config.detectTimeout()), config.healthInterval(), new DevicesChanged());
            health.start();
        }
        LogJanitor janitor = new LogJanitor(config.logDir(), config.logRetention(), clock, runner::logInUse);
        scheduler.scheduleWithFixedDelay(() -> sweepOffTheTimer(janitor), 0, config.logSweepInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("executor {} started: group {}, {} device(s), {} slot(s), command handler {}", executorId,
                config.group(), devices.devices().size(), config.slots(), config.allowCommand() ? "ENABLED" : "disabled");
    }

    /** Re-publishes the card when a device's health or use changed, and warns the shards on a device gone bad. */
    private final class DevicesChanged implements DeviceHealthMonitor.Listener {
        @Override
        public boolean devicesChanged(List<Device> devices) {
            ExecutorCard changed = new ExecutorCard(card.id(), card.group(), card.address(), devices, card.slots(),
                    card.labels(), card.version(), card.scheme());
            try {
                registrar.update(changed);
                card = changed;
                return true;
            } catch (Exception e) {
                log.warn("executor {}: cannot publish the changed devices in ZooKeeper now ({}); the next reading tries again",
                        executorId, e.toString());
                return false;
            }
        }

        @Override
        public void turnedUnhealthy(Device device) {
            int told = runner.tellShardsOn(DeviceId.of(device), "WARNING: device " + DeviceId.of(device) + " (" + device.model()
                    + (device.uuid() == null ? "" : ", " + device.uuid()) + ") this shard runs on turned unhealthy: " + device.health()
                    + ". Its results may be wrong; no new shards are placed on it.");
            if (told > 0) {
                log.warn("told {} running shard(s) that {} turned unhealthy", told, DeviceId.of(device));
            }
        }
    }

    /** Fails at once, saying what to check, when this agent's credentials cannot read the cluster's nodes. */
    private void requireZooKeeperAccess() throws IOException, InterruptedException {
        try {
            curator.getChildren().forPath("/");
        } catch (KeeperException.NoNodeException fresh) {
            // No namespace yet: this agent makes it, with its own credentials.
        } catch (KeeperException.NoAuthException e) {
            throw new IOException("ZooKeeper at " + config.zookeeper() + " refuses this agent's credentials (digest user "
                    + config.zookeeperAccess().user() + ") under /" + config.namespace() + ": give the agent the"
                    + " admin's cluster secret, or the same credentials as the admin's tessera.zookeeper.auth"
                    + " (TESSERA_ZOOKEEPER_AUTH or --zookeeper-auth-file)", e);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read /" + config.namespace() + " in ZooKeeper at " + config.zookeeper() + ": " + e, e);
        }
    }

    /** A sweep lists a directory: it runs on an I/O thread, so that timeouts and retries are never late behind it. */
    private void sweepOffTheTimer(LogJanitor janitor) {
        try {
            io.execute(janitor);
        } catch (RejectedExecutionException e) {
            log.debug("closing: log sweep skipped");
        }
    }

    public AgentConfig config() {
        return config;
    }

    public String executorId() {
        return executorId;
    }

    /** The card registered in ZooKeeper; null before start. */
    public ExecutorCard card() {
        return card;
    }

    /** The port the endpoint listens on; 0 before start. */
    public int port() {
        return port;
    }

    /** {@code host:port} as advertised. */
    public String address() {
        return card == null ? null : card.address();
    }

    /** The member node's current path. */
    public String memberPath() {
        return registrar == null ? null : registrar.memberPath();
    }

    /** The agent's ZooKeeper client (namespaced), for embedding code and tests. */
    public CuratorFramework curator() {
        return curator;
    }

    /**
     * How many results were recorded although the ZooKeeper session of their claim had expired
     * (they finished while ZooKeeper was out of reach for longer than the session); 0 before start.
     */
    public long recoveredResults() {
        return claims == null ? 0 : claims.recoveredResults();
    }

    public ExecutorStatus status() {
        if (api == null) {
            throw new IllegalStateException("the agent has not started");
        }
        return api.status();
    }

    /** Stops the endpoint, deregisters, stops running shards (their claims go back), then disconnects. Idempotent. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        quietly(health);
        quietly(server);
        quietly(registrar);
        quietly(guard);
        if (runner != null) {
            runner.close(config.killGrace().plusSeconds(5));
        }
        quietly(reports);
        quietly(curator);
        List<ExecutorService> pools = Stream.of(workers, startTimer, completionDrainer, resultDrainer, io, scheduler)
                .filter(Objects::nonNull).toList();
        pools.forEach(ExecutorService::shutdownNow);
        awaitTermination(pools);
        log.info("executor {} closed", executorId);
    }

    private void awaitTermination(List<ExecutorService> pools) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ExecutorService pool : pools) {
            try {
                if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("executor {}: a thread pool did not stop within 5 s of close (a handler ignoring interrupts?)",
                            executorId);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void quietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            log.warn("while closing {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
