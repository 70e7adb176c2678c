package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.cli.AgentMain;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An executor dies for real (a separate JVM killed with SIGKILL) while it runs shards: its shards
 * finish elsewhere, exactly once; a gang that loses a rank restarts whole.
 */
class AgentFailoverTest extends EngineTestBase {

    @Autowired
    ExecutorDirectory directory;
    @Autowired
    CuratorFramework curator;

    @TempDir
    Path work;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killEverything() throws IOException {
        processes.forEach(Process::destroyForcibly);
        // Should the agent's tether have failed, a failed test leaves no command (or its sleep) behind.
        try (var files = Files.list(work)) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("pid-")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(file).trim())).ifPresent(command -> {
                    command.descendants().forEach(ProcessHandle::destroyForcibly);
                    command.destroyForcibly();
                });
            }
        }
    }

    /** A standalone agent in a JVM of its own; its commands see SLOW=1, the in-process agent's do not. */
    private String startAgentProcess(String group, TesseraAgent alreadyThere) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> directory.isAlive(alreadyThere.executorId()));
        List<String> before = directory.group(group).stream().map(ExecutorCard::id).toList();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--zookeeper", zookeeper.connectString(), "--group", group, "--host", "127.0.0.1", "--port", "0",
                "--data-dir", work.resolve("agent-data").toString(), "--secret", SECRET, "--no-detect",
                "--allow-command", "--session-timeout", "4"))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("agent.out").toFile());
        builder.environment().put("SLOW", "1");
        processes.add(builder.start());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> directory.group(group).size() == before.size() + 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the agent process did not register; its output:\n"
                    + Files.readString(work.resolve("agent.out")), e);
        }
        return directory.group(group).stream().map(ExecutorCard::id).filter(id -> !before.contains(id))
                .findFirst().orElseThrow();
    }

    /** The result in an attempt's node, if the node is there and holds one (a persistent node). */
    private Optional<ShardResult> done(long runId, int shard, int attempt) throws Exception {
        org.apache.zookeeper.data.Stat stat = curator.checkExists().forPath(ZkLayout.attempt(runId, shard, attempt));
        if (stat == null || stat.getEphemeralOwner() != 0) {
            return Optional.empty();
        }
        return Optional.of(WireCodec.decode(curator.getData().forPath(ZkLayout.attempt(runId, shard, attempt)), ShardResult.class));
    }

    private boolean claimed(long runId, int shard, int attempt) throws Exception {
        org.apache.zookeeper.data.Stat stat = curator.checkExists().forPath(ZkLayout.attempt(runId, shard, attempt));
        return stat != null && stat.getEphemeralOwner() != 0;
    }

    /** The marker files a command wrote whose names start with {@code prefix}. */
    private List<String> markers(String prefix) throws IOException {
        try (var files = Files.list(work)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith(prefix))
                    .sorted().toList();
        }
    }

    @Test
    void shardsOfAKilledAgentFinishOnAnotherExactlyOnce() throws Exception {
        TesseraAgent survivor = agents.start(agents.config("doomed").allowCommand(true), "noop", Agents::ok);
        String doomed = startAgentProcess("doomed", survivor);
        // Each attempt leaves pid-SHARD-ATTEMPT when it starts and finished-SHARD-ATTEMPT when it succeeds.
        String command = "sh -c 'echo $$ > " + work + "/pid-$TESSERA_SHARD_INDEX-$TESSERA_ATTEMPT;"
                + " if [ -n \"$SLOW\" ]; then sleep 8; fi;"
                + " echo ok >> " + work + "/finished-$TESSERA_SHARD_INDEX-$TESSERA_ATTEMPT'";
        int shardCount = 4;
        JobDefinition job = jobService.create(JobDefinition.builder("survives").group("doomed").handler("command")
                .params(command).shardCount(shardCount).routing(RoutingStrategy.ROUND_ROBIN).maxRetries(1).build(),
                "test");

        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        await().atMost(Duration.ofSeconds(15)).until(() -> shards(run.id()).stream()
                .filter(shard -> shard.status() == RunStatus.RUNNING || shard.status() == RunStatus.SUCCEEDED)
                .count() == shardCount);
        List<Integer> victims = shards(run.id()).stream().filter(shard -> doomed.equals(shard.executorId()))
                .map(ShardRun::shardIndex).toList();
        assertThat(victims).as("round robin puts half the shards on the agent process").hasSize(shardCount / 2);
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (int victim : victims) {
                if (!Files.exists(work.resolve("pid-" + victim + "-1"))
                        || !claimed(run.id(), victim, 1)) {
                    return false;
                }
            }
            return true;
        });

        List<Long> orphans = new ArrayList<>();
        for (int victim : victims) {
            orphans.add(Long.parseLong(Files.readString(work.resolve("pid-" + victim + "-1")).trim()));
        }
        long killedAt = System.nanoTime();
        processes.get(0).destroyForcibly().waitFor();
        // A dead agent's commands must not run on beside the attempts that replace them.
        await().atMost(Duration.ofSeconds(3)).until(() -> orphans.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> victims.stream().allMatch(victim -> Files.exists(work.resolve("pid-" + victim + "-2"))));
        System.out.printf("re-placed: shards %s running again as attempt 2 %d ms after kill -9%n", victims,
                (System.nanoTime() - killedAt) / 1_000_000);

        JobRun finished = awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
        for (ShardRun shard : shards(run.id())) {
            int index = shard.shardIndex();
            int attempt = victims.contains(index) ? 2 : 1;
            assertThat(shard.status()).as("shard %d", index).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(shard.executorId()).as("shard %d ran on the survivor", index).isEqualTo(survivor.executorId());
            assertThat(shard.attempt()).as("shard %d", index).isEqualTo(attempt);
            assertThat(markers("finished-" + index + "-")).as("shard %d succeeded once", index)
                    .containsExactly("finished-" + index + "-" + attempt);
            assertThat(Files.readAllLines(work.resolve("finished-" + index + "-" + attempt))).hasSize(1);
            assertThat(curator.getChildren().forPath(ZkLayout.run(run.id())).stream().filter(name -> name.startsWith(index + "-")))
                    .as("shard %d's attempt nodes: one per attempt", index)
                    .containsExactlyInAnyOrderElementsOf(attempt == 1 ? List.of(index + "-1") : List.of(index + "-1", index + "-2"));
            if (attempt == 2) {
                assertThat(done(run.id(), index, 1)).as("shard %d: the lost attempt holds the leader's verdict, not a result", index)
                        .hasValueSatisfying(verdict -> {
                            assertThat(verdict.status()).isEqualTo(RunStatus.FAILED);
                            assertThat(verdict.message()).startsWith("lost: ");
                            assertThat(verdict.fencingToken()).isZero();
                        });
            }
            assertThat(done(run.id(), index, attempt)).as("shard %d has its result in ZooKeeper", index)
                    .hasValueSatisfying(result -> {
                        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
                        assertThat(result.attempt()).isEqualTo(attempt);
                        assertThat(result.executorId()).isEqualTo(survivor.executorId());
                    });
        }
    }

    @Test
    void aGangThatLosesARankStopsTheOtherAndRestartsWhole() throws Exception {
        TesseraAgent survivor = agents.start(agents.config("gang-kill").allowCommand(true), "noop", Agents::ok);
        String doomed = startAgentProcess("gang-kill", survivor);
        // Attempt 1 leaves its PID and hangs like a rank waiting for a dead peer; attempt 2 succeeds.
        String command = "sh -c 'echo $$ > " + work + "/pid-$RANK-$TESSERA_ATTEMPT;"
                + " if [ \"$TESSERA_ATTEMPT\" = 1 ]; then sleep 120; else exit 0; fi'";
        JobDefinition job = jobService.create(JobDefinition.builder("ddp").group("gang-kill").handler("command")
                .params(command).shardCount(2).gang(true).routing(RoutingStrategy.ROUND_ROBIN).maxRetries(1).build(),
                "test");

        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> Files.exists(work.resolve("pid-0-1")) && Files.exists(work.resolve("pid-1-1")));
        // Placements reach the database after the writer's hold-back.
        await().atMost(Duration.ofSeconds(5)).until(() -> shards(run.id()).stream().allMatch(rank -> rank.executorId() != null));
        List<ShardRun> ranks = shards(run.id());
        assertThat(ranks).as("one rank on each agent").extracting(ShardRun::executorId)
                .containsExactlyInAnyOrder(survivor.executorId(), doomed);
        int survivingRank = ranks.stream().filter(rank -> survivor.executorId().equals(rank.executorId())).findFirst()
                .orElseThrow().shardIndex();
        long survivingPid = Long.parseLong(Files.readString(work.resolve("pid-" + survivingRank + "-1")).trim());
        assertThat(ProcessHandle.of(survivingPid).map(ProcessHandle::isAlive)).contains(true);

        long killedAt = System.nanoTime();
        processes.get(0).destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !ProcessHandle.of(survivingPid).map(ProcessHandle::isAlive).orElse(false));
        long stoppedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(work.resolve("pid-0-2")) && Files.exists(work.resolve("pid-1-2")));
        System.out.printf("gang: surviving rank stopped %d ms, gang running again as attempt 2 %d ms after kill -9%n",
                stoppedMillis, (System.nanoTime() - killedAt) / 1_000_000);

        JobRun finished = awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(finished.attempt()).isEqualTo(2);
        assertThat(shards(run.id())).hasSize(2).allSatisfy(rank -> {
            assertThat(rank.attempt()).isEqualTo(2);
            assertThat(rank.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(rank.executorId()).isEqualTo(survivor.executorId());
        });
        for (int rank = 0; rank < 2; rank++) {
            assertThat(done(run.id(), rank, 2)).as("rank %d's result in ZooKeeper", rank).hasValueSatisfying(result -> {
                assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(result.attempt()).isEqualTo(2);
            });
        }
    }
}
