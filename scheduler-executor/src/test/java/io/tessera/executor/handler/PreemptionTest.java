package io.tessera.executor.handler;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.KillReply;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.Pids;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's side of preemption: the admin's kill with {@code preempted} set. The agent's own kill
 * grace is 1 s here ({@link Agents#config}), so a preemption's grace of 3 s shows apart from it.
 */
class PreemptionTest {

    private static final String REASON = "run 42 (priority 9) needs the GPUs";
    private static TestingServer zk;
    private static TesseraAgent agent;
    private static final RecordingReporter reports = new RecordingReporter();
    private static final Map<Long, Seen> seen = new ConcurrentHashMap<>();
    private static final Map<Long, CountDownLatch> started = new ConcurrentHashMap<>();
    private static Path checkpoints;
    private final SignedClient client = new SignedClient();
    @TempDir
    Path work;

    record Seen(boolean preempted, boolean cancelled, String reason) {
    }

    public static class Jobs {
        /** Trains until stopped; on a preemption it saves a checkpoint before it returns. */
        @TesseraHandler("train")
        public HandlerResult train(ShardContext ctx) throws Exception {
            started.get(ctx.runId()).countDown();
            try {
                new CountDownLatch(1).await();
                return HandlerResult.succeeded("trained");
            } catch (InterruptedException e) {
                seen.put(ctx.runId(), new Seen(ctx.isPreempted(), ctx.isCancelled(), ctx.preemptionReason().orElse("")));
                if (ctx.isPreempted()) {
                    Files.writeString(checkpoints.resolve(Long.toString(ctx.runId())), "step 7, attempt " + ctx.attempt());
                }
                Thread.currentThread().interrupt(); // kept, as it should be: the shard's log must still take lines
                ctx.log().info("checkpoint saved: {}", ctx.isPreempted());
                return HandlerResult.succeeded("stopped at step 7");
            }
        }
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        zk = new TestingServer();
        checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        agent = TesseraAgent.start(Agents.config(zk, dir.resolve("agent")).allowCommand(true).build(), reports);
        agent.handlers().registerAnnotated(new Jobs());
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        zk.close();
    }

    @AfterEach
    void cleanUp() {
        Pids.kill(work.resolve("parent"));
        Pids.kill(work.resolve("child"));
    }

    @Test
    void aCommandThatTrapsTermSavesAndEndsLongBeforeTheGrace() throws Exception {
        Path saved = work.resolve("saved");
        client.trigger(agent.address(), Agents.trigger(801, 0, "command", "sh -c 'trap \"echo saved > " + saved
                + "; exit 0\" TERM; echo $$ > " + work.resolve("parent") + "; sleep 60 & echo $! > "
                + work.resolve("child") + "; wait'"));
        await().atMost(Agents.PATIENCE).until(() -> Pids.written(work.resolve("child")));

        long sent = System.nanoTime();
        assertThat(preempt(801, 5).killed()).isTrue();
        ShardResult result = awaitResult(801);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(Files.readString(saved)).isEqualTo("saved\n");
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.message()).startsWith("preempted: " + REASON);
        assertThat(took).as("the process ended on SIGTERM, without waiting for the grace").isLessThan(Duration.ofSeconds(4));
        assertThat(log(801)).contains("preempted: " + REASON + "; SIGTERM, SIGKILL after 5 s");
        assertTreeGone();
    }

    @Test
    void aCommandThatIgnoresTermLivesThroughThePreemptionsGraceThenIsKilled() throws Exception {
        Path ticks = work.resolve("ticks");
        client.trigger(agent.address(), Agents.trigger(802, 0, "command", "sh -c 'trap \"\" TERM; echo $$ > "
                + work.resolve("parent") + "; while true; do echo tick >> " + ticks + "; sleep 0.1; done'"));
        await().atMost(Agents.PATIENCE).until(() -> Files.exists(ticks));

        long sent = System.nanoTime();
        assertThat(preempt(802, 3).killed()).isTrue();
        long ticksAtKill = Files.readAllLines(ticks).size();
        await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(Files.readAllLines(ticks).size())
                .as("it ticks on after SIGTERM").isGreaterThan((int) ticksAtKill + 1));
        ShardResult result = awaitResult(802);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(took).as("SIGKILL waited for the preemption's grace, not the agent's own (1 s)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.message()).startsWith("preempted: " + REASON);
        assertThat(Pids.alive(Pids.read(work.resolve("parent")))).isFalse();
    }

    @Test
    void aKillDuringALongPreemptionGraceCutsItToTheAgentsKillGrace() throws Exception {
        client.trigger(agent.address(), Agents.trigger(803, 0, "command", "sh -c 'trap \"\" TERM; echo $$ > "
                + work.resolve("parent") + "; sleep 300 & echo $! > " + work.resolve("child") + "; wait'"));
        await().atMost(Agents.PATIENCE).until(() -> Pids.written(work.resolve("child")));

        assertThat(preempt(803, 600).killed()).isTrue();
        await().atMost(Agents.PATIENCE).until(() -> log(803).contains("SIGKILL after 600 s"));
        kill(803);

        ShardResult result = awaitResult(803);
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.message()).as("the first stop stays the reason").startsWith("preempted: " + REASON);
        assertTreeGone();
    }

    @Test
    void anAgentClosingDuringALongPreemptionGraceDoesNotWaitForIt(@TempDir Path dir) throws Exception {
        TesseraAgent closing = TesseraAgent.start(Agents.config(zk, dir).allowCommand(true).build(), new RecordingReporter());
        try {
            client.trigger(closing.address(), Agents.trigger(806, 0, "command", "sh -c 'trap \"\" TERM; echo $$ > "
                    + work.resolve("parent") + "; sleep 300 & echo $! > " + work.resolve("child") + "; wait'"));
            await().atMost(Agents.PATIENCE).until(() -> Pids.written(work.resolve("child")));
            assertThat(send(closing, new KillRequest(WireMessage.PROTOCOL_VERSION, 806, 0, REASON, true, 600)).killed())
                    .isTrue();
        } finally {
            closing.close();
        }
        assertTreeGone();
        // Written before the agent let go of ZooKeeper: the stop did not outlast the close's wait for its shards.
        try (CuratorFramework observer = Agents.observer(zk)) {
            assertThat(AttemptNodes.result(observer, 806, 0)).isNotNull();
            assertThat(AttemptNodes.resultOf(observer, 806, 0).message()).startsWith("preempted: " + REASON);
        }
    }

    @Test
    void aPreemptedJavaHandlerSeesItAndSavesItsCheckpoint() throws Exception {
        startTraining(804);

        assertThat(preempt(804, 0).killed()).isTrue();

        ShardResult result = awaitResult(804);
        assertThat(seen.get(804L)).isEqualTo(new Seen(true, true, REASON));
        assertThat(Files.readString(checkpoints.resolve("804"))).isEqualTo("step 7, attempt 1");
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.message()).isEqualTo("preempted: " + REASON + " (stopped at step 7)");
        assertThat(log(804)).contains("checkpoint saved: true");
    }

    @Test
    void aPlainKillIsNoPreemption() throws Exception {
        startTraining(805);

        kill(805);

        ShardResult result = awaitResult(805);
        assertThat(seen.get(805L)).isEqualTo(new Seen(false, true, ""));
        assertThat(checkpoints.resolve("805")).doesNotExist();
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.message()).isEqualTo("stopped: KILLED (stopped at step 7)");
    }

    private void startTraining(long runId) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        started.put(runId, running);
        client.trigger(agent.address(), Agents.trigger(runId, 0, "train", ""));
        await().atMost(Agents.PATIENCE).until(() -> running.getCount() == 0);
    }

    private KillReply preempt(long runId, int graceSeconds) throws Exception {
        return send(new KillRequest(WireMessage.PROTOCOL_VERSION, runId, 0, REASON, true, graceSeconds));
    }

    private void kill(long runId) throws Exception {
        send(new KillRequest(WireMessage.PROTOCOL_VERSION, runId, 0, "operator"));
    }

    private KillReply send(KillRequest request) throws Exception {
        return send(agent, request);
    }

    private KillReply send(TesseraAgent to, KillRequest request) throws Exception {
        return WireCodec.decode(client.post(to.address(), WirePaths.KILL, WireCodec.encode(request)).body(), KillReply.class);
    }

    private void assertTreeGone() throws Exception {
        for (String pidFile : List.of("parent", "child")) {
            assertThat(Pids.alive(Pids.read(work.resolve(pidFile)))).as(pidFile).isFalse();
        }
    }

    private static ShardResult awaitResult(long runId) {
        await().atMost(Agents.PATIENCE).until(() -> reports.result(runId, 0) != null);
        return reports.result(runId, 0);
    }

    private String log(long runId) throws Exception {
        return client.get(agent.address(), WirePaths.LOG, "runId=" + runId + "&shard=0&maxBytes=1000000",
                LogChunk.class).text();
    }
}
