package io.tessera.executor;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.RequestSigner;
import io.tessera.executor.claim.ClaimService;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.device.DeviceInventory;
import io.tessera.executor.endpoint.AgentServer;
import io.tessera.executor.handler.CommandHandler;
import io.tessera.executor.handler.HandlerRegistry;
import io.tessera.executor.log.LogJanitor;
import io.tessera.executor.log.ShardLogFiles;
import io.tessera.executor.registry.Registrar;
import io.tessera.executor.report.HttpResultReporter;
import io.tessera.executor.report.ReportDispatcher;
import io.tessera.executor.report.ResultReporter;
import io.tessera.executor.report.ResultSpool;
import io.tessera.executor.run.ConnectionGuard;
import io.tessera.executor.run.ShardRunner;
import io.tessera.executor.run.StopReason;
import io.tessera.executor.run.TriggerService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
    private final Clock clock = Clock.systemUTC();
    private final String executorId;

    private ScheduledThreadPoolExecutor scheduler;
    private ExecutorService io;
    private ThreadPoolExecutor workers;
    private CuratorFramework curator;
    private ReportDispatcher reports;
    private ShardRunner runner;
    private AgentServer server;
    private LocalAgentApi api;
    private Registrar registrar;
    private ExecutorCard card;
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
        DeviceInventory devices = DeviceInventory.from(config);
        scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads("tessera-agent-timer", true));
        scheduler.setRemoveOnCancelPolicy(true);
        io = Executors.newFixedThreadPool(2, new NamedThreads("tessera-agent-io", true));
        workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new NamedThreads("tessera-shard", true));

        curator = CuratorFrameworkFactory.builder()
                .connectString(config.zookeeper())
                .namespace(config.namespace())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) config.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 2000))
                .build();
        curator.start();
        if (!curator.blockUntilConnected((int) config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("cannot reach ZooKeeper at " + config.zookeeper() + " within " + config.connectionTimeout());
        }

        RequestSigner signer = new RequestSigner(config.secret(), clock, config.maxClockSkew());
        ResultReporter reporter = customReporter != null ? customReporter
                : new HttpResultReporter(signer, config.reportTimeout(), io);
        reports = new ReportDispatcher(new ResultSpool(config.spoolDir()), reporter, config.adminUrl(), scheduler,
                config.reportRetryInitial(), config.reportRetryMax(), new io.tessera.executor.report.LiveAdmins(curator));
        ShardLogFiles logs = new ShardLogFiles(config.logDir());
        ClaimService claims = new ClaimService(curator, executorId, io, clock);
        ConnectionGuard guard = new ConnectionGuard(() -> runner.stopAll(StopReason.CONNECTION_LOST), scheduler,
                config.suspendedGrace(), true);
        runner = new ShardRunner(executorId, config.slots(), claims, reports, logs, workers, scheduler, clock, guard::connected);
        curator.getConnectionStateListenable().addListener(guard);
        TriggerService triggers = new TriggerService(executorId, handlers,
                config.allowCommand() ? new CommandHandler(config.killGrace()) : null, devices, claims, runner, guard::connected);

        api = new LocalAgentApi(executorId, config.group(), config.slots(), triggers, runner, logs, devices);
        server = new AgentServer(config.bindHost(), config.port(), api,
                signer, config.maxRequestBytes(), config.idleTimeout(), io);
        port = server.start();
        card = new ExecutorCard(executorId, config.group(), config.advertisedHost() + ":" + port, devices.devices(),
                config.slots(), config.labels(), config.version());
        registrar = new Registrar(curator, card);
        registrar.start();
        if (!registrar.awaitRegistered(config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("could not register in ZooKeeper within " + config.connectionTimeout());
        }
        reports.resend();
        LogJanitor janitor = new LogJanitor(config.logDir(), config.logRetention(), clock, runner::logInUse);
        scheduler.scheduleWithFixedDelay(janitor, 0, config.logSweepInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("executor {} started: group {}, {} device(s), {} slot(s), command handler {}", executorId,
                config.group(), devices.devices().size(), config.slots(), config.allowCommand() ? "ENABLED" : "disabled");
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
        quietly(server);
        quietly(registrar);
        if (runner != null) {
            runner.close(config.killGrace().plusSeconds(5));
        }
        quietly(reports);
        quietly(curator);
        for (ExecutorService pool : new ExecutorService[] {workers, io, scheduler}) {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        log.info("executor {} closed", executorId);
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
