package io.tessera.admin.engine;

import io.tessera.core.model.DeviceId;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.handler.ShardContext;
import io.tessera.executor.handler.ShardHandler;
import io.tessera.executor.report.ResultReporter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/** Real executor agents for engine tests: in-process, on loopback, against the admin's ZooKeeper. */
final class Agents implements AutoCloseable {

    /** One handler invocation as an agent saw it. */
    record Invocation(String executorId, long runId, int shard, int attempt, List<DeviceId> devices, long startedMillis,
                      String params, long agentMicros) {
    }

    private final String zookeeper;
    private final String secret;
    private final List<TesseraAgent> started = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    final Queue<Invocation> invocations = new ConcurrentLinkedQueue<>();

    Agents(String zookeeper, String secret) {
        this.zookeeper = zookeeper;
        this.secret = secret;
    }

    AgentConfig.Builder config(String group) {
        try {
            Path dataDir = Files.createTempDirectory("tessera-agent-");
            dataDirs.add(dataDir);
            return AgentConfig.builder()
                    .zookeeper(zookeeper)
                    .secret(secret)
                    .group(group)
                    .advertisedHost("127.0.0.1")
                    .bindHost("127.0.0.1")
                    .port(0)
                    .dataDir(dataDir)
                    .detectDevices(false)
                    .sessionTimeout(Duration.ofSeconds(4))
                    .slots(16);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts an agent whose handler {@code name} records each invocation, then runs {@code body}. */
    TesseraAgent start(AgentConfig.Builder config, String name, ShardHandler body) throws Exception {
        return start(config, name, body, null);
    }

    TesseraAgent start(AgentConfig.Builder config, String name, ShardHandler body, ResultReporter reporter) throws Exception {
        TesseraAgent agent = new TesseraAgent(config.build(), reporter);
        agent.handlers().register(name, recording(agent, body));
        agent.start();
        started.add(agent);
        return agent;
    }

    private ShardHandler recording(TesseraAgent agent, ShardHandler body) {
        return context -> {
            invocations.add(new Invocation(agent.executorId(), context.runId(), context.shardIndex(), context.attempt(),
                    context.devices(), System.currentTimeMillis(), context.params(),
                    (System.nanoTime() - context.receivedNanos()) / 1000));
            return body.handle(context);
        };
    }

    static HandlerResult ok(ShardContext context) {
        return HandlerResult.succeeded();
    }

    List<Invocation> of(long runId) {
        return invocations.stream().filter(invocation -> invocation.runId() == runId).toList();
    }

    @Override
    public void close() {
        for (TesseraAgent agent : started) {
            agent.close();
        }
        started.clear();
        for (Path dir : dataDirs) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (java.io.IOException e) {
                // Left in the temp folder; nothing depends on it.
            }
        }
        dataDirs.clear();
    }
}
