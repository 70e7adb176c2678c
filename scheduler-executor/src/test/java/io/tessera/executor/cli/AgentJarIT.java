package io.tessera.executor.cli;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.support.Agents;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().remove("TESSERA_CLUSTER_SECRET");
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
                assertThat(Files.readString(dir.resolve("out.txt"))).contains("listening on " + card.address());

                agent.destroy(); // SIGTERM: the shutdown hook deregisters at once
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(observer.getChildren().forPath(ZkLayout.group("packaged"))).isEmpty();
            } finally {
                agent.destroyForcibly();
            }
        }
    }
}
