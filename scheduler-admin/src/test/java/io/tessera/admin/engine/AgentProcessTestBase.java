package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Engine tests whose agents run as standalone processes ({@link AgentProcesses}), with a work folder for their commands. */
abstract class AgentProcessTestBase extends EngineTestBase {

    @Autowired
    ExecutorDirectory directory;

    @TempDir
    Path work;

    private AgentProcesses processes;

    /** Starts a standalone agent in {@code group} with these options and waits until it is registered. */
    String startAgentProcess(String group, String... options) throws Exception {
        if (processes == null) {
            processes = new AgentProcesses(zookeeper.connectString(), SECRET, directory, work);
        }
        return processes.start(group, options);
    }

    @AfterEach
    void stopAgentProcesses() throws IOException {
        if (processes != null) {
            processes.close();
            processes = null;
        }
    }

    /** The lines a command wrote to {@code file}; none while it does not exist. */
    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
