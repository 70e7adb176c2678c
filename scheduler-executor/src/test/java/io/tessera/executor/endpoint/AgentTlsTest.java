package io.tessera.executor.endpoint;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.validation.ValidationException;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WirePaths;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import io.tessera.executor.support.TestCertificates;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint over TLS, against real agents on loopback: one serving TLS, one that also requires a client
 * certificate (mutual TLS). Certificates come from a CA made for the test.
 */
class AgentTlsTest {

    private static TestingServer zk;
    private static CuratorFramework observer;
    private static TestCertificates certificates;
    private static TesseraAgent tls;
    private static TesseraAgent mutual;
    private static final AtomicInteger invocations = new AtomicInteger();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        zk = new TestingServer();
        observer = Agents.observer(zk);
        certificates = TestCertificates.create(dir.resolve("pki"));
        tls = TesseraAgent.start(Agents.config(zk, dir.resolve("tls"))
                .tls(certificates.serverCert(), certificates.serverKey()).build(), new RecordingReporter());
        mutual = TesseraAgent.start(Agents.config(zk, dir.resolve("mutual"))
                .tls(certificates.serverCert(), certificates.serverKey())
                .tlsClientCa(certificates.caCert()).build(), new RecordingReporter());
        for (TesseraAgent agent : new TesseraAgent[] {tls, mutual}) {
            agent.handlers().register("count", context -> {
                invocations.incrementAndGet();
                return HandlerResult.succeeded();
            });
        }
    }

    @AfterAll
    static void stop() throws Exception {
        mutual.close();
        tls.close();
        observer.close();
        zk.close();
    }

    @Test
    void aTlsAgentAdvertisesHttpsInItsCardAndAnswersOverTls() throws Exception {
        ExecutorCard registered = WireCodec.decode(observer.getData().forPath(tls.memberPath()), ExecutorCard.class);
        assertThat(registered.scheme()).isEqualTo(ExecutorCard.HTTPS);
        assertThat(registered.baseUrl()).isEqualTo("https://" + tls.address());

        SignedClient client = new SignedClient(Agents.SECRET, certificates.trustingClient());
        ExecutorStatus status = client.get(tls.address(), WirePaths.STATUS, "", ExecutorStatus.class);
        assertThat(status.executorId()).isEqualTo(tls.executorId());

        int before = invocations.get();
        assertThat(client.trigger(tls.address(), Agents.trigger(8_001, 0, "count", "")).outcome())
                .isEqualTo(TriggerOutcome.ACCEPTED);
        await().atMost(Agents.PATIENCE).until(() -> invocations.get() == before + 1);
    }

    @Test
    void aPlaintextClientGetsNoHttpAnswerFromATlsEndpoint() throws Exception {
        int before = invocations.get();
        assertThatThrownBy(() -> new SignedClient().trigger(tls.address(), Agents.trigger(8_002, 0, "count", "")))
                .isInstanceOf(IOException.class);

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tls.port()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + WirePaths.STATUS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("the endpoint closes the connection without answering HTTP").doesNotContain("HTTP/");
        }
        assertThat(invocations.get()).isEqualTo(before);
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificateAndServesOneWithIt() throws Exception {
        int before = invocations.get();
        SignedClient anonymous = new SignedClient(Agents.SECRET, certificates.trustingClient());
        assertThatThrownBy(() -> anonymous.trigger(mutual.address(), Agents.trigger(8_003, 0, "count", "")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> anonymous.get(mutual.address(), WirePaths.STATUS, "", ExecutorStatus.class))
                .isInstanceOf(IOException.class);
        assertThat(invocations.get()).isEqualTo(before);

        SignedClient admin = new SignedClient(Agents.SECRET, certificates.clientWithCertificate());
        assertThat(admin.get(mutual.address(), WirePaths.STATUS, "", ExecutorStatus.class).executorId())
                .isEqualTo(mutual.executorId());
    }

    @Test
    void aKeyThatIsNotPemStopsTheAgentAtStartNamingTheOption(@TempDir Path dir) throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "not a key");
        TesseraAgent agent = new TesseraAgent(Agents.config(zk, dir.resolve("data"))
                .tls(certificates.serverCert(), notAKey).build(), new RecordingReporter());
        try {
            assertThatThrownBy(agent::start).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("--tls-key " + notAKey).hasMessageContaining("PKCS#8");
        } finally {
            agent.close();
        }
    }
}
