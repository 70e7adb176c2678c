package io.tessera.admin.api;

import io.tessera.admin.config.EmbeddedZooKeeper;
import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.engine.EngineHealth;
import io.tessera.admin.engine.SchedulingEngine;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.Role;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One admin over real HTTP on a random port, shared by every API test class (same properties, so
 * one Spring context), with one real in-process agent in group {@value #GROUP}: two declared GPUs,
 * the command handler allowed, and a Java handler {@code echo} that logs its params.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tessera.cluster-secret=" + ApiTestBase.SECRET,
        "tessera.api.bootstrap-token=" + ApiTestBase.ADMIN_TOKEN,
        "tessera.advertised-host=127.0.0.1",
        "tessera.zookeeper.session-timeout=4s",
        "tessera.engine.reconcile-interval=1s",
        "tessera.engine.retry-backoff=200ms",
        "tessera.quotas.api-team.devices=GPU:1:*H100*,GPU:4",
        "tessera.quotas.api-team.borrowing=false",
        "logging.level.io.tessera=INFO"})
public abstract class ApiTestBase {

    protected static final String SECRET = "api-test-cluster-secret-0123456789";
    protected static final String ADMIN_TOKEN = "api-test-bootstrap-token-0123456789";
    protected static final String GROUP = "api";

    /** One agent per admin (keyed by its ZooKeeper), alive until the JVM ends, like the shared context. */
    private static final Map<String, TesseraAgent> AGENTS = new ConcurrentHashMap<>();
    private static final Map<Role, String> TOKENS = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void isolated(DynamicPropertyRegistry registry) {
        TestAdmin.isolate(registry);
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected EmbeddedZooKeeper zookeeper;
    @Autowired
    protected SchedulingEngine engine;
    @Autowired
    protected ApiTokenStore tokenStore;
    @Autowired
    protected AuditStore auditStore;

    protected ApiClient api;
    protected TesseraAgent agent;

    @BeforeEach
    protected void connect() {
        api = new ApiClient("http://127.0.0.1:" + port);
        agent = AGENTS.computeIfAbsent(zookeeper.connectString(), ApiTestBase::startAgent);
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.isLeading()
                && engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);
    }

    private static TesseraAgent startAgent(String connect) {
        try {
            TesseraAgent agent = new TesseraAgent(AgentConfig.builder()
                    .zookeeper(connect)
                    .secret(SECRET)
                    .group(GROUP)
                    .advertisedHost("127.0.0.1")
                    .bindHost("127.0.0.1")
                    .port(0)
                    .dataDir(Files.createTempDirectory("tessera-api-agent-"))
                    .detectDevices(false)
                    .accelerator("GPU:nvidia:H100:81559:2")
                    .allowCommand(true)
                    .sessionTimeout(Duration.ofSeconds(4))
                    .slots(8)
                    .build(), null);
            agent.handlers().register("echo", context -> {
                context.log().info("echo {}", context.params());
                return HandlerResult.succeeded();
            });
            agent.start();
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "api-test-agent-close"));
            return agent;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test agent", e);
        }
    }

    /** A token of that role (ADMIN: the bootstrap token), created once per admin. */
    protected String token(Role role) {
        if (role == Role.ADMIN) {
            return ADMIN_TOKEN;
        }
        return TOKENS.computeIfAbsent(role, r -> {
            String secret = ApiTokenStore.generate();
            tokenStore.create("test-" + r.name().toLowerCase() + "-" + UUID.randomUUID(), secret, r, "test");
            return secret;
        });
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a job through the API and returns its id. */
    protected long createJob(String json) {
        ApiClient.Reply reply = api.post("/api/v1/jobs", ADMIN_TOKEN, json);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    protected long echoJob(String name) {
        return createJob("{\"name\":\"" + name + "\",\"group\":\"" + GROUP + "\",\"handler\":\"echo\",\"params\":\"hi\"}");
    }

    protected ApiClient.Reply awaitRun(long runId, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() ->
                status.equals(api.get("/api/v1/runs/" + runId, ADMIN_TOKEN).json().path("status").asText()));
        return api.get("/api/v1/runs/" + runId, ADMIN_TOKEN);
    }
}
