package io.tessera.executor.endpoint;

import io.tessera.core.model.BlockStrategy;
import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WirePaths;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's endpoint against requests an attacker can make: an unsigned or stale body is refused
 * from its head alone, before a byte of it is sent; a captured log read cannot be replayed nor
 * pointed at another shard; parameters outside what was signed are refused; and during a secret
 * rotation the previous secret still opens the door.
 */
class EndpointSignatureTest {

    private static final String OLD_SECRET = "the-cluster-secret-before-rotation";
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private static TestingServer zk;
    private static TesseraAgent agent;
    private final SignedClient client = new SignedClient();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        zk = new TestingServer();
        agent = TesseraAgent.start(Agents.config(zk, dir).previousSecret(OLD_SECRET).maxRequestBytes(MAX_REQUEST_BYTES).build(),
                new RecordingReporter());
        agent.handlers().register("speak", ctx -> {
            ctx.log().info("secret output of shard {}", ctx.shardIndex());
            return HandlerResult.succeeded();
        });
        for (int shard = 0; shard < 2; shard++) {
            assertThat(new SignedClient().trigger(agent.address(), Agents.trigger(700, 1L, shard, 2, "speak", "",
                    List.of(), 0, BlockStrategy.SERIAL, null)).outcome().name())
                    .isEqualTo("ACCEPTED");
        }
        SignedClient reader = new SignedClient();
        await().atMost(Agents.PATIENCE).untilAsserted(() -> {
            for (int shard = 0; shard < 2; shard++) {
                assertThat(reader.get(agent.address(), WirePaths.LOG, "runId=700&shard=" + shard, LogChunk.class).complete()).isTrue();
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        zk.close();
    }

    @Test
    void anUnsignedOversizedBodyIsRefusedFromItsHeadBeforeAnyOfItIsSent() throws IOException {
        String answer = headOnly("POST " + WirePaths.TRIGGER + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 400000000\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 401").contains("missing");

        String chunked = headOnly("POST " + WirePaths.TRIGGERS + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 401");
    }

    @Test
    void aBodyOverTheLimitIsRefusedFromItsHeadEvenWithFreshSignatureHeaders() throws IOException {
        RequestSigner.Signature looksFresh = new RequestSigner("not-the-cluster-secret-at-all").sign("POST", WirePaths.TRIGGER, null);
        StringBuilder head = new StringBuilder("POST " + WirePaths.TRIGGER + " HTTP/1.1\r\nHost: x\r\nContent-Length: 400000000\r\n");
        looksFresh.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        assertThat(headOnly(head.append("\r\n").toString())).startsWith("HTTP/1.1 413").contains("at most " + MAX_REQUEST_BYTES);
    }

    @Test
    void aStaleHeadIsRefusedBeforeItsBody() throws IOException {
        String answer = headOnly("POST " + WirePaths.TRIGGER + " HTTP/1.1\r\nHost: x\r\nContent-Length: 50000\r\n"
                + RequestSigner.TIMESTAMP_HEADER + ": 1000\r\n" + RequestSigner.NONCE_HEADER + ": AAAAAAAAAAAAAAAAAAAAAA\r\n"
                + RequestSigner.SIGNATURE_HEADER + ": " + "0".repeat(64) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 401").contains("stale");
    }

    @Test
    void aReplayedLogReadIsRefused() throws Exception {
        String query = "runId=700&shard=0";
        RequestSigner.Signature captured = new RequestSigner(Agents.SECRET).sign("GET", WirePaths.LOG, query, null);
        HttpResponse<byte[]> first = client.raw("GET", agent.address(), WirePaths.LOG + "?" + query, new byte[0], captured.headers());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(WireCodec.decode(first.body(), LogChunk.class).text()).contains("secret output of shard 0");

        HttpResponse<byte[]> replay = client.raw("GET", agent.address(), WirePaths.LOG + "?" + query, new byte[0], captured.headers());
        assertRefused(replay, 401, "replayed request");
    }

    @Test
    void aLogSignatureCannotBePointedAtAnotherShardOrRun() throws Exception {
        RequestSigner.Signature captured = new RequestSigner(Agents.SECRET).sign("GET", WirePaths.LOG, "runId=700&shard=0", null);
        assertRefused(client.raw("GET", agent.address(), WirePaths.LOG + "?runId=700&shard=1", new byte[0], captured.headers()),
                401, "bad signature");
        assertRefused(client.raw("GET", agent.address(), WirePaths.LOG + "?runId=701&shard=0", new byte[0], captured.headers()),
                401, "bad signature");
        assertRefused(client.raw("GET", agent.address(), WirePaths.LOG + "?runId=700&shard=0&offset=10", new byte[0],
                captured.headers()), 401, "bad signature");
        assertRefused(client.raw("GET", agent.address(), WirePaths.LOG + "?runId=700&shard=0;shard=1", new byte[0],
                captured.headers()), 401, "bad signature");
        assertThat(client.raw("GET", agent.address(), WirePaths.LOG + "?shard=0&runId=700", new byte[0], captured.headers())
                .statusCode()).as("the same parameters in another order are the same request").isEqualTo(200);
    }

    @Test
    void unknownOrRepeatedQueryParametersAreRefusedByName() throws Exception {
        assertRefused(client.get(agent.address(), WirePaths.LOG, "runId=700&shard=0&tail=1"), 400, "unknown query parameter 'tail'");
        assertRefused(client.get(agent.address(), WirePaths.LOG, "runId=700&shard=0&shard=1"), 400, "'shard' is given more than once");
        assertRefused(client.get(agent.address(), WirePaths.STATUS, "verbose=1"), 400, "unknown query parameter 'verbose'");
    }

    @Test
    void thePreviousSecretIsAcceptedDuringARotation() throws Exception {
        SignedClient notYetRotated = new SignedClient(OLD_SECRET);
        assertThat(notYetRotated.get(agent.address(), WirePaths.LOG, "runId=700&shard=1", LogChunk.class).text())
                .contains("secret output of shard 1");
        assertRefused(new SignedClient("a-secret-from-no-rotation-at-all").get(agent.address(), WirePaths.STATUS, ""),
                401, "bad signature");
    }

    /** Sends a request's head and no body, and returns what came back before the agent closed the connection. */
    private static String headOnly(String head) throws IOException {
        String[] hostPort = agent.address().split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                answer.append((char) c);
            }
            return answer.toString();
        }
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String reason) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(WireCodec.decode(response.body(), ErrorReply.class).message()).contains(reason);
    }
}
