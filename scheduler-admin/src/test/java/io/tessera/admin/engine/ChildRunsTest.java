package io.tessera.admin.engine;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

import io.tessera.executor.handler.HandlerResult;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 12, "child fires collapse": a child job fires once per parent run, not once per fire time. */
class ChildRunsTest extends EngineTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void twoParentsFiredAtTheSameInstantFireTheirCommonChildTwice() throws Exception {
        agents.start(agents.config("children"), "step", Agents::ok);
        JobDefinition child = jobService.create(JobDefinition.builder("common-child").group("children").handler("step")
                .build(), "test");
        Schedule everyTwoSeconds = Schedule.cron("*/2 * * * * ?", ZoneOffset.UTC);
        JobDefinition parentA = jobService.create(JobDefinition.builder("parent-a").group("children").handler("step")
                .schedule(everyTwoSeconds).childJobIds(List.of(child.id())).build(), "test");
        JobDefinition parentB = jobService.create(JobDefinition.builder("parent-b").group("children").handler("step")
                .schedule(everyTwoSeconds).childJobIds(List.of(child.id())).build(), "test");
        try {
            JobRun firstOfA = await().atMost(Duration.ofSeconds(20)).until(() -> runStore.list(parentA.id(), RunStatus.SUCCEEDED,
                    null, null, 0, 100).stream().min(java.util.Comparator.comparing(JobRun::scheduledAt)), java.util.Optional::isPresent)
                    .orElseThrow();
            JobRun sameTimeOfB = await().atMost(Duration.ofSeconds(20)).until(() -> runStore.list(parentB.id(), RunStatus.SUCCEEDED,
                    firstOfA.scheduledAt(), firstOfA.scheduledAt().plusMillis(1), 0, 10).stream().findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
            assertThat(sameTimeOfB.scheduledAt()).isEqualTo(firstOfA.scheduledAt());

            await("a child run for each of the two parent runs").atMost(Duration.ofSeconds(20))
                    .until(() -> runStore.list(child.id(), RunStatus.SUCCEEDED, firstOfA.scheduledAt(),
                            firstOfA.scheduledAt().plusMillis(1), 0, 10), children -> children.size() == 2);
            assertThat(runStore.list(child.id(), null, firstOfA.scheduledAt(), firstOfA.scheduledAt().plusMillis(1), 0, 10))
                    .extracting(JobRun::trigger).containsOnly(TriggerKind.CHILD).hasSize(2);
        } finally {
            jobService.setEnabled(parentA.id(), false, "test");
            jobService.setEnabled(parentB.id(), false, "test");
        }
    }

    /**
     * The database refuses the child's insert at the parent's finish (and nothing else), then the
     * term ends before it answers again, as at a leader change during an outage. The child must
     * still run, once, after the database is back.
     */
    @Test
    void aChildIsFiredOnceWhenTheDatabaseFailsAtItsParentsFinishAcrossALeaderChange() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        agents.start(agents.config("child-outage"), "parent-step", context -> {
            finish.await(30, TimeUnit.SECONDS);
            return HandlerResult.succeeded();
        });
        agents.start(agents.config("child-outage"), "child-step", Agents::ok);
        JobDefinition child = jobService.create(JobDefinition.builder("outage-child").group("child-outage")
                .handler("child-step").build(), "test");
        JobDefinition parent = jobService.create(JobDefinition.builder("outage-parent").group("child-outage")
                .handler("parent-step").childJobIds(List.of(child.id())).build(), "test");
        try (Connection connection = dataSource.getConnection()) {
            ChildInsertOutage.install(connection);
            try {
                JobRun run = runService.trigger(parent.id(), null, null, TriggerKind.MANUAL);
                await().atMost(Duration.ofSeconds(10)).until(() -> agents.of(run.id()).size() == 1);

                ChildInsertOutage.arm(true);
                finish.countDown();
                await("the parent's result is stored and the engine meets the failure").atMost(Duration.ofSeconds(10))
                        .until(() -> shards(run.id()).stream().allMatch(shard -> shard.status() == RunStatus.SUCCEEDED)
                                && engine.health().status().mode() == EngineHealth.Mode.PAUSED);
                engine.lost();
                engine.gained();
                ChildInsertOutage.arm(false);

                awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
                await("the child runs after the database is back").atMost(Duration.ofSeconds(20))
                        .until(() -> runStore.list(child.id(), RunStatus.SUCCEEDED, null, null, 0, 10).size() == 1);
                assertThat(runStore.count(child.id(), null, null, null)).as("child runs").isEqualTo(1);
                JobRun childRun = runStore.list(child.id(), null, null, null, 0, 10).get(0);
                assertThat(agents.of(childRun.id())).as("the child ran once").hasSize(1);
            } finally {
                ChildInsertOutage.remove(connection);
            }
        }
    }
}
