package io.tessera.admin.engine;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 12, "child fires collapse": a child job fires once per parent run, not once per fire time. */
class ChildRunsTest extends EngineTestBase {

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
}
