package io.tessera.executor.handler;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WirePaths;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JavaHandlerTest {

    private static TestingServer zk;
    private static TesseraAgent agent;
    private static final RecordingReporter reports = new RecordingReporter();
    private static final AtomicReference<Seen> seen = new AtomicReference<>();
    private static final AtomicBoolean interruptedAndCancelled = new AtomicBoolean();
    private final SignedClient client = new SignedClient();

    record Seen(long runId, long jobId, String jobName, int shard, int total, int attempt, List<DeviceId> devices,
                long fencingToken, String params, TriggerRequest.Rendezvous rendezvous, java.time.Instant scheduledAt) {
    }

    public static class Jobs {
        @TesseraHandler("inspect")
        public HandlerResult inspect(ShardContext ctx) {
            seen.set(new Seen(ctx.runId(), ctx.jobId(), ctx.jobName(), ctx.shardIndex(), ctx.shardTotal(), ctx.attempt(),
                    ctx.devices(), ctx.fencingToken(), ctx.params(), ctx.rendezvous(), ctx.scheduledAt()));
            ctx.log().info("inspected {}", ctx.params());
            return HandlerResult.succeeded("inspected");
        }

        @TesseraHandler("explode")
        public void explode() {
            throw new IllegalStateException("the disk is full");
        }

        @TesseraHandler("forever")
        public void forever(ShardContext ctx) throws InterruptedException {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interruptedAndCancelled.set(ctx.isCancelled());
                throw e;
            }
        }
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        zk = new TestingServer();
        agent = TesseraAgent.start(Agents.config(zk, dir).accelerator("GPU:nvidia:L4:23034:2").build(), reports);
        agent.handlers().registerAnnotated(new Jobs());
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        zk.close();
    }

    @Test
    void anAnnotatedHandlerGetsTheWholeContextAndWritesToTheShardLog() throws Exception {
        TriggerRequest trigger = Agents.trigger(701, 17L, 2, 4, "inspect", "--size 10",
                List.of(new DeviceId("GPU", 1)), 0, null, new TriggerRequest.Rendezvous("10.0.0.9", 29400, 0));
        TriggerReply reply = client.trigger(agent.address(), trigger);

        await().atMost(Agents.PATIENCE).until(() -> reports.result(701, 2) != null);
        ShardResult result = reports.result(701, 2);
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.message()).isEqualTo("inspected");
        assertThat(seen.get()).isEqualTo(new Seen(701, 17, "job-17", 2, 4, 1, List.of(new DeviceId("GPU", 1)),
                reply.fencingToken(), "--size 10", new TriggerRequest.Rendezvous("10.0.0.9", 29400, 0), trigger.scheduledAt()));
        assertThat(client.get(agent.address(), WirePaths.LOG, "runId=701&shard=2", LogChunk.class).text())
                .contains("inspected --size 10");
    }

    @Test
    void aThrowingHandlerFailsWithItsMessage() throws Exception {
        client.trigger(agent.address(), Agents.trigger(702, 0, "explode", ""));
        await().atMost(Agents.PATIENCE).until(() -> reports.result(702, 0) != null);
        assertThat(reports.result(702, 0).status()).isEqualTo(RunStatus.FAILED);
        assertThat(reports.result(702, 0).message()).isEqualTo("the disk is full");
        assertThat(client.get(agent.address(), WirePaths.LOG, "runId=702&shard=0", LogChunk.class).text())
                .contains("IllegalStateException: the disk is full");
    }

    @Test
    void aTimeoutInterruptsAJavaHandler() throws Exception {
        client.trigger(agent.address(), Agents.trigger(703, 1L, 0, 1, "forever", "", List.of(), 1, null, null));
        await().atMost(Agents.PATIENCE).until(() -> reports.result(703, 0) != null);
        assertThat(reports.result(703, 0).status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(interruptedAndCancelled).isTrue();
    }
}
