package io.tessera.admin.engine;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A finished run's ZooKeeper nodes go only once the database holds its result. The engine learns of
 * a result from its attempt node (its executor left) while the database stalls (H2's exclusive
 * mode holds every other connection), for much longer than the retention: the attempt node stays,
 * because it is the only record of the result. Once the database answers, the result is recorded,
 * the shard never ran twice, and the nodes go a retention later.
 */
class RunNodeRetentionTest extends EngineTestBase {

    private static final Duration RETENTION = Duration.ofSeconds(1);

    @DynamicPropertySource
    static void shortRetention(DynamicPropertyRegistry registry) {
        registry.add("tessera.engine.finished-run-retention", () -> RETENTION.toMillis() + "ms");
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    CuratorFramework curator;

    private final CountDownLatch finish = new CountDownLatch(1);

    @AfterEach
    void letTheHandlerGo() {
        finish.countDown();
    }

    private boolean attemptNodeThere(long runId) throws Exception {
        return curator.checkExists().forPath(ZkLayout.attempt(runId, 0, 1)) != null;
    }

    @Test
    void theNodesOfARunFinishedInMemoryStayUntilTheDatabaseHasItsResult() throws Exception {
        TesseraAgent agent = agents.start(agents.config("retention"), "work", context -> finish.await(30, TimeUnit.SECONDS)
                ? HandlerResult.succeeded() : HandlerResult.failed("the test never let the handler finish"));
        JobDefinition job = jobService.create(JobDefinition.builder("retention").group("retention").handler("work").build(),
                "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        await().atMost(Duration.ofSeconds(15)).until(() -> agents.of(run.id()).size() == 1);

        try (Connection exclusive = dataSource.getConnection(); Statement sql = exclusive.createStatement()) {
            sql.execute("SET EXCLUSIVE 1");
            try {
                finish.countDown();
                // The result is in the attempt node; its report cannot be stored. The agent leaves, so the engine
                // reads the node and finishes the run in memory; the database write waits.
                await().atMost(Duration.ofSeconds(10)).until(() -> curator.checkExists()
                        .forPath(ZkLayout.attempt(run.id(), 0, 1)).getEphemeralOwner() == 0);
                agent.close();
                await("the attempt node outlives the retention while the database lacks the result")
                        .during(RETENTION.multipliedBy(5)).atMost(RETENTION.multipliedBy(8))
                        .until(() -> attemptNodeThere(run.id()));
            } finally {
                sql.execute("SET EXCLUSIVE 0");
            }
        }

        awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(shards(run.id())).singleElement().extracting(io.tessera.core.model.ShardRun::status)
                .isEqualTo(RunStatus.SUCCEEDED);
        await("the nodes go once the database has the result").atMost(Duration.ofSeconds(15))
                .until(() -> curator.checkExists().forPath(ZkLayout.run(run.id())) == null);
        assertThat(agents.of(run.id())).as("the shard ran once").hasSize(1);
    }
}
