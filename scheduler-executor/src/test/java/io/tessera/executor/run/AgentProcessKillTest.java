package io.tessera.executor.run;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.cli.AgentMain;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.Pids;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent JVM dies with SIGKILL while a command runs: the command's process tree dies with it, its
 * claim goes with its session, and no result appears.
 */
class AgentProcessKillTest {

    @TempDir
    Path work;
    private Process agent;

    @AfterEach
    void cleanUp() {
        if (agent != null) {
            agent.destroyForcibly();
        }
        Pids.kill(work.resolve("parent"));
        Pids.kill(work.resolve("child"));
    }

    @Test
    void killingTheAgentProcessStopsItsCommandFreesTheClaimAndRecordsNoResult() throws Exception {
        try (TestingServer zk = new TestingServer(); CuratorFramework observer = Agents.observer(zk)) {
            agent = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    AgentMain.class.getName(),
                    "--zookeeper", zk.getConnectString(), "--group", "doomed", "--host", "127.0.0.1", "--port", "0",
                    "--data-dir", work.resolve("agent").toString(), "--secret", Agents.SECRET, "--no-detect",
                    "--allow-command", "--session-timeout", Long.toString(Agents.SESSION_TIMEOUT.toSeconds())))
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("agent.out").toFile())
                    .start();
            await().atMost(Agents.PATIENCE).until(() -> !members(observer).isEmpty());
            String member = ZkLayout.group("doomed") + "/" + members(observer).get(0);
            String address = WireCodec.decode(observer.getData().forPath(member), ExecutorCard.class).address();

            assertThat(new SignedClient().trigger(address, Agents.trigger(401, 0, "command", Pids.treeCommand(work))).outcome())
                    .isEqualTo(TriggerOutcome.ACCEPTED);
            await().atMost(Agents.PATIENCE).until(() -> Pids.written(work.resolve("child")));
            assertThat(AttemptNodes.claim(observer, 401, 0)).isNotNull();

            agent.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to ZooKeeper
            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).isEqualTo(137);
            // Its command (a shell and the shell's child) dies with it, not 300 s later.
            long parent = Pids.read(work.resolve("parent"));
            long child = Pids.read(work.resolve("child"));
            await().atMost(Duration.ofSeconds(3)).until(() -> !Pids.alive(parent) && !Pids.alive(child));

            Duration slack = Duration.ofSeconds(3);
            await().atMost(Agents.SESSION_TIMEOUT.plus(slack))
                    .until(() -> AttemptNodes.claim(observer, 401, 0) == null);
            assertThat(AttemptNodes.result(observer, 401, 0)).isNull();
            assertThat(members(observer)).isEmpty();
        }
    }

    private static List<String> members(CuratorFramework observer) throws Exception {
        return observer.checkExists().forPath(ZkLayout.group("doomed")) == null
                ? List.of() : observer.getChildren().forPath(ZkLayout.group("doomed"));
    }
}
