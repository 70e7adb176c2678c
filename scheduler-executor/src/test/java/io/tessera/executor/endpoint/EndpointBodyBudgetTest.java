package io.tessera.executor.endpoint;

import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WirePaths;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request bodies are held unverified until they are whole, so the endpoint bounds how many bytes of
 * them it receives at once: connections that announce large bodies with forged but fresh headers and
 * then send nothing fill that budget, and further bodies are answered 503 at once instead of being
 * buffered, until those connections go away.
 */
class EndpointBodyBudgetTest {

    private static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private TestingServer zk;
    private TesseraAgent agent;
    private final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : stalled) {
            s.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    @Test
    void stalledForgedBodiesFillTheBudgetAndTheNextBodyIsRefusedUntilTheyAreGone(@TempDir Path dir) throws Exception {
        zk = new TestingServer();
        agent = TesseraAgent.start(Agents.config(zk, dir).maxRequestBytes(MAX_REQUEST_BYTES).build(), new RecordingReporter());
        agent.handlers().register("speak", ctx -> HandlerResult.succeeded());
        int holdable = AgentChannelInitializer.bodyBudget(MAX_REQUEST_BYTES) / MAX_REQUEST_BYTES;

        RequestSigner forger = new RequestSigner("not-the-cluster-secret-at-all");
        for (int i = 0; i < holdable; i++) {
            stalled.add(announce(forger.sign("POST", WirePaths.TRIGGER, new byte[0]).headers(), MAX_REQUEST_BYTES));
        }

        // The heads reach the gate soon after they were written; had they been refused, the budget would
        // stay empty and this signed trigger would be accepted every time.
        byte[] body = WireCodec.encode(Agents.trigger(900, 0, "speak", ""));
        await().atMost(Agents.PATIENCE).untilAsserted(() -> {
            HttpResponse<byte[]> refused = new SignedClient().raw("POST", agent.address(), WirePaths.TRIGGER, body,
                    new RequestSigner(Agents.SECRET).sign("POST", WirePaths.TRIGGER, body).headers());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("busy");
        });

        for (Socket s : stalled) {
            s.close();
        }
        await().atMost(Agents.PATIENCE).untilAsserted(() -> {
            HttpResponse<byte[]> accepted = new SignedClient().raw("POST", agent.address(), WirePaths.TRIGGER, body,
                    new RequestSigner(Agents.SECRET).sign("POST", WirePaths.TRIGGER, body).headers());
            assertThat(accepted.statusCode()).isEqualTo(200);
        });
    }

    /** Sends a request head announcing {@code length} bytes of body, and none of them. */
    private Socket announce(Map<String, String> headers, int length) throws IOException {
        String[] hostPort = agent.address().split(":");
        Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        StringBuilder head = new StringBuilder("POST " + WirePaths.TRIGGER + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }
}
