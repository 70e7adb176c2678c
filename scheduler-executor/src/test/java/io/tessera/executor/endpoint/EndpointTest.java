package io.tessera.executor.endpoint;

import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.KillReply;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import io.tessera.core.zk.ZkLayout;
import io.tessera.core.model.DeviceId;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EndpointTest {

    private static TestingServer zk;
    private static CuratorFramework observer;
    private static TesseraAgent agent;
    private static final AtomicInteger invocations = new AtomicInteger();
    private static final CountDownLatch release = new CountDownLatch(1);
    private final SignedClient client = new SignedClient();

    @BeforeAll
    static void start(@TempDir java.nio.file.Path dir) throws Exception {
        zk = new TestingServer();
        observer = Agents.observer(zk);
        agent = TesseraAgent.start(Agents.config(zk, dir).accelerator("GPU:nvidia:A100:40960:2")
                .maxRequestBytes(4096).build(), new RecordingReporter());
        agent.handlers().register("count", ctx -> {
            invocations.incrementAndGet();
            ctx.log().info("hello from shard {}", ctx.shardIndex());
            return HandlerResult.succeeded();
        });
        agent.handlers().register("hold", ctx -> {
            ctx.log().info("holding");
            release.await();
            return HandlerResult.succeeded();
        });
    }

    @AfterAll
    static void stop() throws Exception {
        release.countDown();
        agent.close();
        observer.close();
        zk.close();
    }

    private static byte[] triggerBody(long runId) {
        return WireCodec.encode(Agents.trigger(runId, 0, "count", ""));
    }

    @Test
    void unsignedRequestsAreRefusedAndRunNothing() throws Exception {
        HttpResponse<byte[]> response = client.raw("POST", agent.address(), WirePaths.TRIGGER, triggerBody(101), Map.of());
        assertUnauthorized(response, "missing");
        assertNothingRan(101);
    }

    @Test
    void badlySignedRequestsAreRefusedAndRunNothing() throws Exception {
        byte[] body = triggerBody(102);
        RequestSigner.Signature wrongSecret = new RequestSigner("another-secret-of-enough-length").sign("POST", WirePaths.TRIGGER, body);
        assertUnauthorized(client.raw("POST", agent.address(), WirePaths.TRIGGER, body, wrongSecret.headers()),
                "bad signature");
        RequestSigner.Signature otherBody = new RequestSigner(Agents.SECRET).sign("POST", WirePaths.TRIGGER, triggerBody(999));
        assertUnauthorized(client.raw("POST", agent.address(), WirePaths.TRIGGER, body, otherBody.headers()),
                "bad signature");
        RequestSigner.Signature otherPath = new RequestSigner(Agents.SECRET).sign("POST", WirePaths.KILL, body);
        assertUnauthorized(client.raw("POST", agent.address(), WirePaths.TRIGGER, body, otherPath.headers()),
                "bad signature");
        assertNothingRan(102);
    }

    @Test
    void staleRequestsAreRefusedAndRunNothing() throws Exception {
        byte[] body = triggerBody(103);
        Clock tenMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        RequestSigner.Signature stale = new RequestSigner(Agents.SECRET, tenMinutesAgo, RequestSigner.DEFAULT_MAX_SKEW)
                .sign("POST", WirePaths.TRIGGER, body);
        assertUnauthorized(client.raw("POST", agent.address(), WirePaths.TRIGGER, body, stale.headers()), "stale");
        assertNothingRan(103);
    }

    @Test
    void unsignedReadsAreRefusedToo() throws Exception {
        assertUnauthorized(client.raw("GET", agent.address(), WirePaths.STATUS, new byte[0], Map.of()), "missing");
        assertUnauthorized(client.raw("POST", agent.address(), "/no/such/path", new byte[0], Map.of()), "missing");
    }

    @Test
    void malformedBodiesGet400WithAMessage() throws Exception {
        assertBadRequest(client.post(agent.address(), WirePaths.TRIGGER, "{not json".getBytes(StandardCharsets.UTF_8)),
                "not a valid TriggerRequest");
        assertBadRequest(client.post(agent.address(), WirePaths.TRIGGER, new byte[0]), "empty body");
        assertBadRequest(client.post(agent.address(), WirePaths.TRIGGER, "{\"v\":1,\"runId\":5}".getBytes(StandardCharsets.UTF_8)),
                "not a valid TriggerRequest");
        assertBadRequest(client.post(agent.address(), WirePaths.TRIGGER,
                WireCodec.encode(Agents.trigger(104, 1L, 3, 2, "count", "", List.of(), 0, null, null))), "shardIndex 3");
        assertBadRequest(client.post(agent.address(), WirePaths.TRIGGER,
                WireCodec.encode(Agents.trigger(104, 1L, 0, 1, "count", "", List.of(new DeviceId("GPU", 7)), 0, null, null))),
                "GPU:7 is not on this executor");
        assertBadRequest(client.post(agent.address(), WirePaths.KILL, "[]".getBytes(StandardCharsets.UTF_8)), "KillRequest");
        assertBadRequest(client.get(agent.address(), WirePaths.LOG, "shard=0"), "runId");
        assertBadRequest(client.get(agent.address(), WirePaths.LOG, "runId=x&shard=0"), "runId");
        assertNothingRan(104);
    }

    @Test
    void oversizedBodiesGet413() throws Exception {
        HttpResponse<byte[]> response = client.post(agent.address(), WirePaths.TRIGGER, new byte[8192]);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void unknownPathsGet404AndWrongMethods405() throws Exception {
        assertThat(client.get(agent.address(), "/v1/nothing", "").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> wrongMethod = client.get(agent.address(), WirePaths.TRIGGER, "");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(WireCodec.decode(wrongMethod.body(), ErrorReply.class).message()).contains("POST");
    }

    @Test
    void statusListsRunningShardsAndFreeDevicesAndTheLogIsReadableFromAnOffset() throws Exception {
        var trigger = Agents.trigger(105, 1L, 0, 1, "hold", "", List.of(new DeviceId("GPU", 1)), 0, null, null);
        assertThat(client.trigger(agent.address(), trigger).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        await().atMost(Agents.PATIENCE).untilAsserted(() -> {
            ExecutorStatus status = client.get(agent.address(), WirePaths.STATUS, "", ExecutorStatus.class);
            assertThat(status.executorId()).isEqualTo(agent.executorId());
            assertThat(status.running()).singleElement().satisfies(shard -> {
                assertThat(shard.runId()).isEqualTo(105);
                assertThat(shard.devices()).containsExactly(new DeviceId("GPU", 1));
                assertThat(shard.startedAt()).isNotNull();
            });
            assertThat(status.freeDevices()).containsExactly(new DeviceId("GPU", 0));
        });
        await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(
                client.get(agent.address(), WirePaths.LOG, "runId=105&shard=0", LogChunk.class).text()).contains("holding"));
        LogChunk whole = client.get(agent.address(), WirePaths.LOG, "runId=105&shard=0", LogChunk.class);
        assertThat(whole.complete()).isFalse();
        LogChunk tail = client.get(agent.address(), WirePaths.LOG, "runId=105&shard=0&offset=" + (whole.nextOffset() - 8),
                LogChunk.class);
        assertThat(tail.text()).isEqualTo("holding\n");

        release.countDown();
        await().atMost(Agents.PATIENCE).untilAsserted(() -> {
            LogChunk done = client.get(agent.address(), WirePaths.LOG, "runId=105&shard=0&offset=0&maxBytes=100000", LogChunk.class);
            assertThat(done.complete()).isTrue();
            assertThat(done.text()).contains("shard finished: SUCCEEDED");
        });
        assertThat(client.get(agent.address(), WirePaths.LOG, "runId=999999&shard=0").statusCode()).isEqualTo(404);
    }

    @Test
    void aBatchOfTriggersIsClaimedShardByShardAndAnsweredInOrder() throws Exception {
        AtomicInteger batched = new AtomicInteger();
        agent.handlers().register("batched", ctx -> {
            batched.incrementAndGet();
            return HandlerResult.succeeded();
        });
        var batch = new io.tessera.core.wire.TriggerBatch(io.tessera.core.wire.WireMessage.PROTOCOL_VERSION, List.of(
                Agents.trigger(300, 1L, 0, 3, "batched", "", List.of(), 0, null, null),
                Agents.trigger(300, 1L, 1, 3, "batched", "", List.of(), 0, null, null),
                Agents.trigger(300, 1L, 2, 3, "nope", "", List.of(), 0, null, null)));
        var response = client.post(agent.address(), WirePaths.TRIGGERS, WireCodec.encode(batch));
        assertThat(response.statusCode()).isEqualTo(200);
        var replies = WireCodec.decode(response.body(), io.tessera.core.wire.TriggerBatchReply.class).replies();
        assertThat(replies).extracting(TriggerReply::shardIndex).containsExactly(0, 1, 2);
        assertThat(replies).extracting(TriggerReply::outcome)
                .containsExactly(TriggerOutcome.ACCEPTED, TriggerOutcome.ACCEPTED, TriggerOutcome.UNKNOWN_HANDLER);
        await().atMost(Agents.PATIENCE).until(() -> batched.get() == 2);

        var again = WireCodec.decode(client.post(agent.address(), WirePaths.TRIGGERS, WireCodec.encode(batch)).body(),
                io.tessera.core.wire.TriggerBatchReply.class).replies();
        assertThat(again.get(0).outcome()).isIn(TriggerOutcome.ALREADY_CLAIMED, TriggerOutcome.ALREADY_DONE);
        assertThat(again.get(1).outcome()).isIn(TriggerOutcome.ALREADY_CLAIMED, TriggerOutcome.ALREADY_DONE);
        assertThat(batched.get()).isEqualTo(2);
    }

    @Test
    void killOfAShardThatIsNotHereSaysSo() throws Exception {
        HttpResponse<byte[]> response = client.post(agent.address(), WirePaths.KILL,
                WireCodec.encode(new KillRequest(WireMessage.PROTOCOL_VERSION, 424242, 0, "test")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(WireCodec.decode(response.body(), KillReply.class).killed()).isFalse();
    }

    @Test
    void keepAliveIsHonouredAndConnectionCloseClosesTheConnection() throws Exception {
        RequestSigner signer = new RequestSigner(Agents.SECRET);
        String[] hostPort = agent.address().split(":");
        try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String connection : List.of("keep-alive", "keep-alive", "close")) {
                RequestSigner.Signature signature = signer.sign("GET", WirePaths.STATUS, new byte[0]);
                out.write(("GET " + WirePaths.STATUS + " HTTP/1.1\r\nHost: x\r\nConnection: " + connection + "\r\n"
                        + RequestSigner.TIMESTAMP_HEADER + ": " + signature.timestamp() + "\r\n"
                        + RequestSigner.NONCE_HEADER + ": " + signature.nonce() + "\r\n"
                        + RequestSigner.SIGNATURE_HEADER + ": " + signature.value() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                int length = -1;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                assertThat(WireCodec.decode(new String(body).getBytes(StandardCharsets.UTF_8), ExecutorStatus.class).executorId())
                        .isEqualTo(agent.executorId());
            }
            assertThat(in.read()).as("the server closed the connection after 'Connection: close'").isEqualTo(-1);
        }
    }

    private static void assertUnauthorized(HttpResponse<byte[]> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(401);
        ErrorReply error = WireCodec.decode(response.body(), ErrorReply.class);
        assertThat(error.error()).isEqualTo("unauthorized");
        assertThat(error.message()).contains(reason);
    }

    private static void assertBadRequest(HttpResponse<byte[]> response, String message) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(400);
        ErrorReply error = WireCodec.decode(response.body(), ErrorReply.class);
        assertThat(error.error()).isEqualTo("bad_request");
        assertThat(error.message()).contains(message);
    }

    private static void assertNothingRan(long runId) throws Exception {
        assertThat(invocations).hasValue(0);
        assertThat(observer.checkExists().forPath(ZkLayout.run(runId))).isNull();
    }
}
