package io.tessera.executor.cli;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WirePaths;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs the packaged {@code scheduler-agent.jar}, which exists only after {@code package}. */
class AgentJarIT {

    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("agent.jar", "target/scheduler-agent.jar"));
        assertThat(jar).as("the packaged agent").exists();
        return jar;
    }

    private Process start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    private Process start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().remove("TESSERA_CLUSTER_SECRET");
        builder.environment().putAll(environment);
        return builder.start();
    }

    @Test
    void helpExplainsEveryOption() throws Exception {
        Process agent = start("--help");
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isZero();
        String help = Files.readString(dir.resolve("out.txt"));
        for (String option : List.of("--zookeeper HOST:PORT", "--namespace", "--group", "--host", "--port", "--data-dir",
                "--secret", "TESSERA_CLUSTER_SECRET", "--accelerator KIND:VENDOR:MODEL:MEMORY_MB:COUNT", "--no-detect",
                "--allow-command", "--slots", "--help")) {
            assertThat(help).contains(option);
        }
    }

    @Test
    void aBadOptionExitsNonZeroWithAClearMessage() throws Exception {
        Process agent = start("--slots", "many");
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("err.txt"))).contains("--slots needs a whole number, got 'many'");

        Process noSecret = start("--zookeeper", "127.0.0.1:1");
        assertThat(noSecret.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(noSecret.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("err.txt"))).contains("secret");
    }

    @Test
    void thePackagedAgentRegistersAndLeavesOnSigterm() throws Exception {
        try (TestingServer zk = new TestingServer(); CuratorFramework observer = Agents.observer(zk)) {
            Process agent = start("--zookeeper", zk.getConnectString(), "--group", "packaged", "--host", "127.0.0.1",
                    "--port", "0", "--data-dir", dir.resolve("data").toString(), "--secret", Agents.SECRET, "--no-detect",
                    "--accelerator", "GPU:nvidia:H100:81559:2");
            try {
                await().atMost(Agents.PATIENCE).until(() -> observer.checkExists().forPath(ZkLayout.group("packaged")) != null
                        && !observer.getChildren().forPath(ZkLayout.group("packaged")).isEmpty());
                String member = ZkLayout.group("packaged") + "/" + observer.getChildren().forPath(ZkLayout.group("packaged")).get(0);
                ExecutorCard card = WireCodec.decode(observer.getData().forPath(member), ExecutorCard.class);
                assertThat(card.devices()).hasSize(2);
                assertThat(card.address()).startsWith("127.0.0.1:");
                // Printed once the agent has started, just after it registered.
                await().atMost(Agents.PATIENCE).until(() -> Files.readString(dir.resolve("out.txt")).contains("listening on " + card.address()));

                agent.destroy(); // SIGTERM: the shutdown hook deregisters at once
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(observer.getChildren().forPath(ZkLayout.group("packaged"))).isEmpty();
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    @Test
    void aCommandJobSeesNoneOfTesserasSecretsInItsEnvironment() throws Exception {
        String previous = "previous-cluster-secret-0123";
        String digest = "zookeeper-digest-secret-0123";
        try (TestingServer zk = new TestingServer(); CuratorFramework observer = Agents.observer(zk)) {
            Process agent = start(Map.of("TESSERA_CLUSTER_SECRET", Agents.SECRET, "TESSERA_CLUSTER_PREVIOUS_SECRET", previous,
                            "TESSERA_ZOOKEEPER_DIGEST", digest, "JOB_VISIBLE", "kept"),
                    "--zookeeper", zk.getConnectString(), "--group", "env", "--host", "127.0.0.1", "--port", "0",
                    "--data-dir", dir.resolve("data").toString(), "--no-detect", "--allow-command");
            try {
                String address = address(observer, "env");
                String log = runAndReadLog(observer, address, 901, "env");

                assertThat(log).as("the job printed its environment").contains("TESSERA_RUN_ID=901", "JOB_VISIBLE=kept");
                assertThat(log).doesNotContain(Agents.SECRET, previous, digest, "TESSERA_CLUSTER_SECRET",
                        "TESSERA_CLUSTER_PREVIOUS_SECRET", "TESSERA_ZOOKEEPER_DIGEST");
                assertThat(Files.readString(dir.resolve("out.txt")) + Files.readString(dir.resolve("err.txt")))
                        .doesNotContain(Agents.SECRET);
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    @Test
    void anAgentGivenASecretFileWorksAndPsShowsNoSecret() throws Exception {
        Path secretFile = dir.resolve("cluster-secret");
        Files.writeString(secretFile, Agents.SECRET + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        try (TestingServer zk = new TestingServer(); CuratorFramework observer = Agents.observer(zk)) {
            Process agent = start("--zookeeper", zk.getConnectString(), "--group", "file", "--host", "127.0.0.1",
                    "--port", "0", "--data-dir", dir.resolve("data").toString(), "--no-detect", "--allow-command",
                    "--secret-file", secretFile.toString());
            try {
                String address = address(observer, "file");
                ProcessHandle.Info ps = ProcessHandle.of(agent.pid()).orElseThrow().info();
                assertThat(ps.arguments()).as("what ps shows").hasValueSatisfying(arguments -> assertThat(arguments)
                        .contains("--secret-file", secretFile.toString()).noneMatch(a -> a.contains(Agents.SECRET)));
                assertThat(ps.commandLine()).hasValueSatisfying(line -> assertThat(line).doesNotContain(Agents.SECRET));

                assertThat(runAndReadLog(observer, address, 902, "sh -c 'echo signed-and-run'")).contains("signed-and-run");
                assertThat(AttemptNodes.resultOf(observer, 902, 0).status()).isEqualTo(RunStatus.SUCCEEDED);
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    private static String address(CuratorFramework observer, String group) throws Exception {
        String path = ZkLayout.group(group);
        await().atMost(Agents.PATIENCE).until(() -> observer.checkExists().forPath(path) != null
                && !observer.getChildren().forPath(path).isEmpty());
        byte[] card = observer.getData().forPath(path + "/" + observer.getChildren().forPath(path).get(0));
        return WireCodec.decode(card, ExecutorCard.class).address();
    }

    /** A signed trigger of a {@code command} job, as the admin sends it, then its shard's log. */
    private static String runAndReadLog(CuratorFramework observer, String address, long runId, String command)
            throws Exception {
        SignedClient client = new SignedClient();
        assertThat(client.trigger(address, Agents.trigger(runId, 0, "command", command)).outcome())
                .isEqualTo(TriggerOutcome.ACCEPTED);
        await().atMost(Agents.PATIENCE).until(() -> AttemptNodes.result(observer, runId, 0) != null);
        return client.get(address, WirePaths.LOG, "runId=" + runId + "&shard=0&maxBytes=1000000", LogChunk.class).text();
    }
}
