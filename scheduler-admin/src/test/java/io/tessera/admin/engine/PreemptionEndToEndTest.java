package io.tessera.admin.engine;

import io.tessera.admin.store.RunChange;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Priorities and preemption end to end: a standalone agent process with four declared GPUs, a
 * low-priority preemptible gang holding all of them, and an urgent run that needs them.
 */
class PreemptionEndToEndTest extends AgentProcessTestBase {

    private static final int GRACE_SECONDS = 5;


    @Test
    void anUrgentRunPreemptsALowPriorityGangWhichRestartsWholeLaterWithItsRetriesUntouched() throws Exception {
        startAgentProcess("preempt", "--accelerator", "GPU:nvidia:H100:81559:4", "--slots", "8");
        Path ledger = work.resolve("ledger");
        // Attempt 1 trains until told to stop, and saves on SIGTERM (trapped before it says it started; in a loop,
        // because the agent signals the tree's children before the shell, and a shell whose only child ended would
        // exit before its own SIGTERM ran the trap); later attempts finish at once.
        String training = "sh -c 'if [ \"$TESSERA_ATTEMPT\" = 1 ]; then trap \"echo saved-$RANK-$TESSERA_ATTEMPT >> " + ledger
                + "; exit 143\" TERM; fi; echo start-$RANK-$TESSERA_ATTEMPT >> " + ledger + ";"
                + " if [ \"$TESSERA_ATTEMPT\" = 1 ]; then while true; do sleep 0.2 & wait; done; else echo done-$RANK-$TESSERA_ATTEMPT >> " + ledger + "; fi'";
        JobDefinition gang = jobService.create(JobDefinition.builder("long-training").group("preempt").params(training)
                .shardCount(2).gang(true).accelerators(AcceleratorRequirement.of("GPU", 2)).priority(0).preemptible(true)
                .preemptionGraceSeconds(GRACE_SECONDS).maxRetries(0).build(), "test");
        JobRun training1 = runService.trigger(gang.id(), null, null, TriggerKind.API);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines(ledger).containsAll(List.of("start-0-1", "start-1-1")));

        JobDefinition urgent = jobService.create(JobDefinition.builder("urgent-inference").group("preempt")
                .params("sh -c 'echo urgent-start >> " + ledger + "; sleep 2'")
                .accelerators(AcceleratorRequirement.of("GPU", 4)).priority(10).build(), "test");
        long asked = System.nanoTime();
        JobRun inference = runService.trigger(urgent.id(), null, null, TriggerKind.API);
        await().atMost(Duration.ofSeconds(GRACE_SECONDS + 2)).pollInterval(Duration.ofMillis(20))
                .until(() -> lines(ledger).contains("urgent-start"));
        System.out.printf("preemption: the urgent run started %d ms after it was triggered (grace %d s)%n",
                (System.nanoTime() - asked) / 1_000_000, GRACE_SECONDS);
        assertThat(lines(ledger)).as("both ranks got SIGTERM and saved before the urgent run started")
                .containsSubsequence("saved-0-1", "urgent-start").containsSubsequence("saved-1-1", "urgent-start");

        assertThat(awaitRun(inference.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20)).status()).isEqualTo(RunStatus.SUCCEEDED);
        JobRun finished = awaitRun(training1.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(finished.attempt()).as("restarted whole once, though maxRetries is 0").isEqualTo(2);
        assertThat(lines(ledger)).containsSubsequence("urgent-start", "start-0-2").containsSubsequence("urgent-start", "start-1-2")
                .contains("done-0-2", "done-1-2");
        assertThat(shards(training1.id())).allSatisfy(rank -> {
            assertThat(rank.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(rank.attempt()).isEqualTo(2);
        });
        List<RunChange.Preempted> history = runStore.preemptionsOf(List.of(training1.id())).get(training1.id());
        assertThat(history).extracting(RunChange.Preempted::shardIndex).containsExactlyInAnyOrder(0, 1);
        assertThat(history).allSatisfy(preempted -> {
            assertThat(preempted.attempt()).isEqualTo(1);
            assertThat(preempted.byRunId()).isEqualTo(inference.id());
            assertThat(preempted.byJobName()).isEqualTo("urgent-inference");
            assertThat(preempted.reason()).contains("priority 10 > 0");
        });
    }

    @Test
    void aHigherPriorityRunWaitsForWorkThatIsNotPreemptibleAndOvertakesOlderRunsOfLowerPriority() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TesseraAgent agent = agents.start(agents.config("no-preempt").accelerator("GPU:nvidia:H100:81559:2"), "hold", context -> {
            release.await(60, TimeUnit.SECONDS);
            return HandlerResult.succeeded();
        });
        agent.handlers().register("quick", Agents::ok);
        JobDefinition holder = jobService.create(JobDefinition.builder("steady").group("no-preempt").handler("hold")
                .accelerators(AcceleratorRequirement.of("GPU", 2)).priority(-5).build(), "test");
        JobRun held = runService.trigger(holder.id(), null, null, TriggerKind.API);
        awaitRun(held.id(), RunStatus.RUNNING, Duration.ofSeconds(10));

        JobDefinition low = jobService.create(JobDefinition.builder("batch-low").group("no-preempt").handler("quick")
                .accelerators(AcceleratorRequirement.of("GPU", 2)).priority(0).build(), "test");
        JobDefinition high = jobService.create(JobDefinition.builder("batch-high").group("no-preempt").handler("quick")
                .accelerators(AcceleratorRequirement.of("GPU", 2)).priority(5).build(), "test");
        JobRun older = runService.trigger(low.id(), null, null, TriggerKind.API);
        awaitRun(older.id(), RunStatus.WAITING, Duration.ofSeconds(10));
        JobRun newer = runService.trigger(high.id(), null, null, TriggerKind.API);
        JobRun waiting = awaitRun(newer.id(), RunStatus.WAITING, Duration.ofSeconds(10));
        assertThat(waiting.message()).doesNotContain("preempting");
        assertThat(runStore.preemptionsOf(List.of(held.id()))).isEmpty();

        release.countDown();
        awaitRun(newer.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        awaitRun(older.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        ShardRun first = shards(newer.id()).get(0);
        ShardRun second = shards(older.id()).get(0);
        assertThat(first.startedAt()).as("the newer run of higher priority went first").isBefore(second.startedAt());
    }

}
