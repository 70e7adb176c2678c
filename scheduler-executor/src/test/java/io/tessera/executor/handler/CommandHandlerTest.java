package io.tessera.executor.handler;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.KillReply;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import io.tessera.core.zk.ZkLayout;
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

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CommandHandlerTest {

    private static TestingServer zk;
    private static CuratorFramework observer;
    private static TesseraAgent agent;
    private static final RecordingReporter reports = new RecordingReporter();
    private final SignedClient client = new SignedClient();
    @TempDir
    Path work;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        zk = new TestingServer();
        observer = Agents.observer(zk);
        agent = TesseraAgent.start(Agents.config(zk, dir).allowCommand(true)
                .accelerator("GPU:nvidia:H100:81559:4").build(), reports);
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        observer.close();
        zk.close();
    }

    @AfterEach
    void cleanUp() {
        Pids.kill(work.resolve("parent"));
        Pids.kill(work.resolve("child"));
    }

    @Test
    void aMultiShardCommandSeesItsIdentityDevicesAndRendezvous() throws Exception {
        TriggerRequest trigger = Agents.trigger(201, 9L, 1, 2, "command", "env",
                List.of(new DeviceId("GPU", 3), new DeviceId("GPU", 1)), 0, null,
                new TriggerRequest.Rendezvous("10.0.0.5", 29500, 1));
        TriggerReply reply = client.trigger(agent.address(), trigger);
        assertThat(reply.outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        ShardResult result = awaitResult(201, 1);
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        Map<String, String> env = environmentIn(log(201, 1));
        assertThat(env).containsEntry("TESSERA_RUN_ID", "201")
                .containsEntry("TESSERA_JOB", "job-9")
                .containsEntry("TESSERA_SHARD_INDEX", "1")
                .containsEntry("TESSERA_SHARD_TOTAL", "2")
                .containsEntry("TESSERA_ATTEMPT", "1")
                .containsEntry("TESSERA_FENCING_TOKEN", Long.toString(reply.fencingToken()))
                .containsEntry("CUDA_VISIBLE_DEVICES", "1,3")
                .containsEntry("RANK", "1")
                .containsEntry("WORLD_SIZE", "2")
                .containsEntry("LOCAL_RANK", "1")
                .containsEntry("MASTER_ADDR", "10.0.0.5")
                .containsEntry("MASTER_PORT", "29500");
        assertThat(log(201, 1)).contains("devices GPU:1 (H100), GPU:3 (H100); {CUDA_VISIBLE_DEVICES=1,3}");
    }

    @Test
    void aSingleShardCommandWithoutDevicesGetsAnEmptyDeviceListAndNoRendezvous() throws Exception {
        client.trigger(agent.address(), Agents.trigger(202, 0, "command", "env"));

        assertThat(awaitResult(202, 0).status()).isEqualTo(RunStatus.SUCCEEDED);
        Map<String, String> env = environmentIn(log(202, 0));
        assertThat(env).containsEntry("CUDA_VISIBLE_DEVICES", "").containsEntry("TESSERA_SHARD_TOTAL", "1")
                .doesNotContainKeys("RANK", "WORLD_SIZE", "MASTER_ADDR");
    }

    @Test
    void theCommandLineIsSplitLikeAShellButRunWithoutOneAndANonZeroExitFails() throws Exception {
        client.trigger(agent.address(), Agents.trigger(203, 0, "command",
                "sh -c 'echo \"a  b\" $TESSERA_SHARD_INDEX; exit 3'"));

        ShardResult result = awaitResult(203, 0);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(log(203, 0)).contains("a  b 0");

        client.trigger(agent.address(), Agents.trigger(204, 0, "command", "echo $HOME 'single  quoted' \\*"));
        assertThat(awaitResult(204, 0).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(log(204, 0)).contains("$HOME single  quoted *");
    }

    @Test
    void aMissingProgramFailsWithAMessage() throws Exception {
        client.trigger(agent.address(), Agents.trigger(205, 0, "command", "/no/such/program --flag"));
        ShardResult result = awaitResult(205, 0);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.message()).contains("/no/such/program");
    }

    @Test
    void aTimeoutEndsTheWholeProcessTree() throws Exception {
        client.trigger(agent.address(), Agents.trigger(206, 1L, 0, 1, "command", Pids.treeCommand(work), List.of(), 1, null, null));

        ShardResult result = awaitResult(206, 0);
        assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertTreeGone();
        assertThat(AttemptNodes.result(observer, 206, 0)).isNotNull();
    }

    @Test
    void aKillEndsTheWholeProcessTree() throws Exception {
        client.trigger(agent.address(), Agents.trigger(207, 0, "command", Pids.treeCommand(work)));
        await().atMost(Agents.PATIENCE).until(() -> Pids.written(work.resolve("child")));
        assertThat(Pids.alive(Pids.read(work.resolve("child")))).isTrue();

        KillReply kill = WireCodec.decode(client.post(agent.address(), WirePaths.KILL,
                WireCodec.encode(new KillRequest(WireMessage.PROTOCOL_VERSION, 207, 0, "operator"))).body(), KillReply.class);
        assertThat(kill.killed()).isTrue();

        ShardResult result = awaitResult(207, 0);
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertTreeGone();
    }

    private void assertTreeGone() throws Exception {
        long parent = Pids.read(work.resolve("parent"));
        long child = Pids.read(work.resolve("child"));
        assertThat(Pids.alive(parent)).as("the shell").isFalse();
        assertThat(Pids.alive(child)).as("the shell's child").isFalse();
    }

    private static ShardResult awaitResult(long runId, int shard) {
        await().atMost(Agents.PATIENCE).until(() -> reports.result(runId, shard) != null);
        return reports.result(runId, shard);
    }

    private String log(long runId, int shard) throws Exception {
        return client.get(agent.address(), WirePaths.LOG, "runId=" + runId + "&shard=" + shard + "&maxBytes=1000000",
                LogChunk.class).text();
    }

    private static Map<String, String> environmentIn(String log) {
        return Arrays.stream(log.split("\n"))
                .filter(line -> line.matches("[A-Z_][A-Z0-9_]*=.*"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
    }
}
