package io.tessera.admin.api;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.engine.EngineHealth;
import io.tessera.admin.engine.SchedulingEngine;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.AdminCard;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.TestCertificates;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertySource;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A trigger end to end over TLS, every hop of it: the API over https (Spring Boot's {@code server.ssl} with a PEM
 * certificate), the admin's trigger and log read to an agent that serves TLS and requires a client certificate
 * (mutual TLS), and the agent's result back to the admin's https URL. ZooKeeper is a real {@link TestingServer}; the
 * certificates come from a CA made for this test. The context is closed after the class, while ZooKeeper still runs
 * (it stops with the JVM): an admin closing against a stopped ZooKeeper waits out its retries.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tessera.cluster-secret=" + TlsEndToEndTest.SECRET,
        "tessera.api.bootstrap-token=" + TlsEndToEndTest.TOKEN,
        "tessera.advertised-host=127.0.0.1",
        "tessera.zookeeper.session-timeout=4s",
        "tessera.engine.reconcile-interval=1s",
        "tessera.engine.retry-backoff=200ms"})
class TlsEndToEndTest {

    static final String SECRET = "tls-test-cluster-secret-0123456789";
    static final String TOKEN = "tls-test-bootstrap-token-0123456789";
    private static final String GROUP = "tls";

    private static TestingServer zookeeper;
    private static TestCertificates certificates;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws Exception {
        Path dataDir = TestAdmin.isolate(registry);
        zookeeper = new TestingServer(-1, dataDir.resolve("zookeeper").toFile());
        certificates = TestCertificates.create(dataDir.resolve("pki"));
        registry.add("tessera.zookeeper.connect", zookeeper::getConnectString);
        registry.add("server.ssl.certificate", () -> "file:" + certificates.serverCert());
        registry.add("server.ssl.certificate-private-key", () -> "file:" + certificates.serverKey());
        registry.add("tessera.tls.trust-ca", () -> certificates.caCert().toString());
        registry.add("tessera.tls.client-cert", () -> certificates.clientCert().toString());
        registry.add("tessera.tls.client-key", () -> certificates.clientKey().toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    SchedulingEngine engine;
    @Autowired
    ExecutorDirectory directory;
    @Autowired
    CuratorFramework curator;

    private TesseraAgent agent;
    private final AtomicInteger ran = new AtomicInteger();

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aJobTriggeredOverHttpsRunsOnATlsAgentAndItsResultComesBackOverTls() throws Exception {
        agent = startAgent();
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.isLeading()
                && engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);
        await().atMost(Duration.ofSeconds(10)).until(() -> directory.byId(agent.executorId()).isPresent());
        assertThat(directory.byId(agent.executorId()).orElseThrow().scheme()).isEqualTo(ExecutorCard.HTTPS);
        assertThat(adminUrls()).as("the admin tells agents to report to it over https")
                .containsExactly("https://127.0.0.1:" + port);

        ApiClient api = new ApiClient("https://127.0.0.1:" + port, certificates.trustingClient());
        ApiClient.Reply created = api.post("/api/v1/jobs", TOKEN, "{\"name\":\"tls-echo\",\"group\":\"" + GROUP
                + "\",\"handler\":\"echo\",\"params\":\"over tls\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ApiClient.Reply triggered = api.post("/api/v1/jobs/" + created.json().get("id").asLong() + "/trigger", TOKEN, null);
        assertThat(triggered.status()).as(triggered.toString()).isEqualTo(202);
        long runId = triggered.json().get("runId").asLong();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                "SUCCEEDED".equals(api.get("/api/v1/runs/" + runId, TOKEN).json().path("status").asText()));
        assertThat(ran.get()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ApiClient.Reply log = api.get("/api/v1/runs/" + runId + "/shards/0/log?offset=0", TOKEN);
            assertThat(log.status()).as(log.toString()).isEqualTo(200);
            assertThat(log.json().get("text").asText()).contains("echo over tls");
        });
    }

    @Test
    void thePlaintextApiIsNotServed() {
        ApiClient plaintext = new ApiClient("http://127.0.0.1:" + port);
        try {
            assertThat(plaintext.get("/api/v1/jobs", TOKEN).status()).isNotEqualTo(200);
        } catch (UncheckedIOException refused) {
            assertThat(refused).hasRootCauseInstanceOf(java.io.IOException.class);
        }
        ApiClient untrusting = new ApiClient("https://127.0.0.1:" + port);
        assertThatThrownBy(() -> untrusting.get("/api/v1/jobs", TOKEN))
                .as("a client that does not trust the test CA refuses the admin's certificate")
                .isInstanceOf(UncheckedIOException.class);
    }

    private TesseraAgent startAgent() throws Exception {
        TesseraAgent started = new TesseraAgent(AgentConfig.builder()
                .zookeeper(zookeeper.getConnectString())
                .secret(SECRET)
                .group(GROUP)
                .advertisedHost("127.0.0.1")
                .bindHost("127.0.0.1")
                .port(0)
                .dataDir(Files.createTempDirectory("tessera-tls-agent-"))
                .detectDevices(false)
                .sessionTimeout(Duration.ofSeconds(4))
                .tls(certificates.serverCert(), certificates.serverKey())
                .tlsClientCa(certificates.caCert())
                .tlsTrustCa(certificates.caCert())
                .build(), null);
        started.handlers().register("echo", context -> {
            ran.incrementAndGet();
            context.log().info("echo {}", context.params());
            return HandlerResult.succeeded();
        });
        started.start();
        return started;
    }

    private List<String> adminUrls() throws Exception {
        return curator.getChildren().forPath(ZkLayout.ADMIN_MEMBERS).stream().map(child -> {
            try {
                return WireCodec.decode(curator.getData().forPath(ZkLayout.ADMIN_MEMBERS + "/" + child), AdminCard.class).url();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
