package io.tessera.admin.fuzz;

import io.tessera.admin.TesseraAdminApplication;
import io.tessera.admin.config.DatabaseDefaults;
import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.engine.EngineHealth;
import io.tessera.admin.engine.SchedulingEngine;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * What the fuzz suite attacks: a real ZooKeeper ({@link TestingServer}), a real admin (the whole
 * Spring Boot application on a free port, its own H2 file) and a real agent, all on loopback. The
 * agent runs only the harmless Java handler {@code echo} and refuses command jobs, because signed
 * fuzz triggers really run.
 */
final class FuzzCluster implements AutoCloseable {

    static final String SECRET = "fuzz-cluster-secret-0123456789abcdef";
    static final String ADMIN_TOKEN = "fuzz-bootstrap-token-0123456789abcdef";
    static final String GROUP = "fuzz";

    private final TestingServer zookeeper;
    private final ConfigurableApplicationContext admin;
    private final TesseraAgent agent;
    private final String viewerToken;
    private final Set<Long> ownTokenIds;
    private boolean closed;

    private FuzzCluster(TestingServer zookeeper, ConfigurableApplicationContext admin, TesseraAgent agent,
                        String viewerToken, Set<Long> ownTokenIds) {
        this.zookeeper = zookeeper;
        this.admin = admin;
        this.agent = agent;
        this.viewerToken = viewerToken;
        this.ownTokenIds = Set.copyOf(ownTokenIds);
    }

    static FuzzCluster start() throws Exception {
        TestingServer zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1), true);
        ConfigurableApplicationContext admin = null;
        TesseraAgent agent = null;
        try {
            Path dataDir = TestAdmin.newDataDir();
            admin = new SpringApplicationBuilder(TesseraAdminApplication.class).run(
                    "--server.port=0",
                    "--server.address=127.0.0.1",
                    "--tessera.data-dir=" + dataDir,
                    "--spring.datasource.url=" + DatabaseDefaults.h2FileUrl(dataDir),
                    "--tessera.zookeeper.connect=" + zookeeper.getConnectString(),
                    "--tessera.zookeeper.session-timeout=4s",
                    "--tessera.cluster-secret=" + SECRET,
                    "--tessera.api.bootstrap-token=" + ADMIN_TOKEN,
                    "--tessera.advertised-host=127.0.0.1",
                    "--logging.level.io.tessera=WARN",
                    "--logging.level.org.apache.zookeeper=ERROR",
                    "--logging.level.org.apache.curator=ERROR");
            SchedulingEngine engine = admin.getBean(SchedulingEngine.class);
            await("the fuzzed admin leads").atMost(Duration.ofSeconds(60)).until(() -> engine.isLeading()
                    && engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);
            agent = new TesseraAgent(AgentConfig.builder()
                    .zookeeper(zookeeper.getConnectString())
                    .secret(SECRET)
                    .group(GROUP)
                    .advertisedHost("127.0.0.1")
                    .bindHost("127.0.0.1")
                    .port(0)
                    .dataDir(Files.createTempDirectory("tessera-fuzz-agent-"))
                    .detectDevices(false)
                    .accelerator("GPU:nvidia:H100:81559:2")
                    .allowCommand(false)
                    .sessionTimeout(Duration.ofSeconds(4))
                    .slots(8)
                    .build(), null);
            agent.handlers().register("echo", context -> {
                context.log().info("echo {}", context.params());
                return HandlerResult.succeeded();
            });
            agent.start();
            ApiTokenStore tokens = admin.getBean(ApiTokenStore.class);
            String viewer = ApiTokenStore.generate();
            long viewerId = tokens.create("fuzz-viewer-" + UUID.randomUUID(), viewer, Role.VIEWER, "fuzz").id();
            long adminId = tokens.findActive(ADMIN_TOKEN).orElseThrow().id();
            return new FuzzCluster(zookeeper, admin, agent, viewer, Set.of(viewerId, adminId));
        } catch (Exception | Error e) {
            if (agent != null) {
                agent.close();
            }
            if (admin != null) {
                admin.close();
            }
            zookeeper.close();
            throw e;
        }
    }

    int adminPort() {
        return ((ServletWebServerApplicationContext) admin).getWebServer().getPort();
    }

    int agentPort() {
        return agent.port();
    }

    String viewerToken() {
        return viewerToken;
    }

    /** Token ids the suite must not revoke, or later requests would lose their valid token. */
    boolean isOwnToken(long id) {
        return ownTokenIds.contains(id);
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            agent.close();
        } finally {
            try {
                admin.close();
            } finally {
                zookeeper.close();
            }
        }
    }
}
