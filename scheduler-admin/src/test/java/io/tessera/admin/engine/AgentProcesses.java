package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.core.model.ExecutorCard;
import io.tessera.executor.cli.AgentMain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Standalone agents for engine tests, each in a JVM of its own started from this test's class path
 * ({@link AgentMain}, as the packaged agent runs), registered with the test admin's ZooKeeper.
 * Closing kills them and every process they started.
 */
final class AgentProcesses implements AutoCloseable {

    private final String zookeeper;
    private final String secret;
    private final ExecutorDirectory directory;
    private final Path work;
    private final List<Process> processes = new ArrayList<>();

    AgentProcesses(String zookeeper, String secret, ExecutorDirectory directory, Path work) {
        this.zookeeper = zookeeper;
        this.secret = secret;
        this.directory = directory;
        this.work = work;
    }

    /**
     * Starts an agent in {@code group} with these extra options (e.g. {@code --accelerator ...}) and
     * waits until it is registered.
     *
     * @return its executor id
     */
    String start(String group, String... options) throws Exception {
        List<String> before = directory.group(group).stream().map(ExecutorCard::id).toList();
        int number = processes.size();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--zookeeper", zookeeper, "--group", group, "--host", "127.0.0.1", "--port", "0",
                "--data-dir", work.resolve("agent-data-" + number).toString(), "--secret", secret, "--no-detect",
                "--allow-command", "--session-timeout", "4"));
        command.addAll(List.of(options));
        Path output = work.resolve("agent-" + number + ".out");
        processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> directory.group(group).size() == before.size() + 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the agent process did not register; its output:\n" + Files.readString(output), e);
        }
        return directory.group(group).stream().map(ExecutorCard::id).filter(id -> !before.contains(id)).findFirst().orElseThrow();
    }

    @Override
    public void close() throws IOException {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        processes.clear();
    }
}
