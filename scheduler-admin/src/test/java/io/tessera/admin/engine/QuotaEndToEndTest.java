package io.tessera.admin.engine;

import io.tessera.admin.store.RunChange;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quota queues end to end (EngineTestBase configures team-a and team-b with 2 GPUs each and team-c
 * with 1 GPU and no borrowing): a queue borrows what nobody uses, and gives it back by preemption
 * when a queue within its quota needs it.
 */
class QuotaEndToEndTest extends AgentProcessTestBase {

    private static final int GRACE_SECONDS = 5;


    @Test
    void aQueueBorrowsIdleGpusAndGivesThemBackWhenTheirOwnerNeedsThem() throws Exception {
        startAgentProcess("quota", "--accelerator", "GPU:nvidia:H100:81559:4", "--slots", "8");
        Path ledger = work.resolve("ledger");
        Path finish = work.resolve("finish");
        // Attempt 1 of each shard runs until the test lets it finish, and notes SIGTERM (trapped before it says it
        // started); later attempts end at once.
        String sweep = "sh -c 'if [ \"$TESSERA_ATTEMPT\" = 1 ]; then trap \"echo b-stopped-$TESSERA_SHARD_INDEX >> " + ledger
                + "; exit 143\" TERM; fi; echo b-start-$TESSERA_SHARD_INDEX-$TESSERA_ATTEMPT >> " + ledger + ";"
                + " if [ \"$TESSERA_ATTEMPT\" = 1 ]; then while [ ! -f " + finish + " ]; do sleep 0.2 & wait; done; fi'";
        JobDefinition borrower = jobService.create(JobDefinition.builder("team-b-sweep").group("quota").params(sweep).shardCount(4)
                .accelerators(AcceleratorRequirement.of("GPU", 1)).queue("team-b").priority(5).maxRetries(0)
                .preemptionGraceSeconds(GRACE_SECONDS).build(), "test");
        JobRun sweepRun = runService.trigger(borrower.id(), null, null, TriggerKind.API);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines(ledger).stream().filter(line -> line.startsWith("b-start-")).count() == 4);
        assertThat(usage("team-b")).as("team-b runs 4 GPUs on a quota of 2: it borrows 2").isEqualTo(new QueueUsage.Limit("GPU", null, 2, 4));
        assertThat(usage("team-a").inUse()).isZero();

        // team-a asks for its own 2 GPUs, at a lower priority than team-b's: its quota, not its priority, reclaims them.
        JobDefinition owner = jobService.create(JobDefinition.builder("team-a-eval").group("quota")
                .params("sh -c 'echo a-start >> " + ledger + "; sleep 2'").accelerators(AcceleratorRequirement.of("GPU", 2))
                .queue("team-a").priority(0).build(), "test");
        long asked = System.nanoTime();
        JobRun evaluation = runService.trigger(owner.id(), null, null, TriggerKind.API);
        await().atMost(Duration.ofSeconds(GRACE_SECONDS + 2)).pollInterval(Duration.ofMillis(20))
                .until(() -> lines(ledger).contains("a-start"));
        System.out.printf("reclaim: team-a's run started %d ms after it was triggered%n", (System.nanoTime() - asked) / 1_000_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> usage("team-a").inUse() == 2);
        assertThat(usage("team-b").inUse()).as("team-b is back within its quota").isEqualTo(2);
        assertThat(lines(ledger).stream().filter(line -> line.startsWith("b-stopped-")).count()).isEqualTo(2);

        awaitRun(evaluation.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        Files.writeString(finish, "done");
        JobRun swept = awaitRun(sweepRun.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(swept.status()).isEqualTo(RunStatus.SUCCEEDED);
        Map<Integer, Integer> attempts = shards(sweepRun.id()).stream()
                .collect(Collectors.toMap(ShardRun::shardIndex, ShardRun::attempt));
        assertThat(attempts.values()).as("two shards preempted once each, re-run although maxRetries is 0")
                .containsExactlyInAnyOrder(1, 1, 2, 2);
        List<RunChange.Preempted> history = runStore.preemptionsOf(List.of(sweepRun.id())).get(sweepRun.id());
        assertThat(history).hasSize(2).allSatisfy(preempted -> {
            assertThat(preempted.byRunId()).isEqualTo(evaluation.id());
            assertThat(preempted.reason()).contains("queue team-b gives back borrowed devices");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> usage("team-b").inUse() == 0 && usage("team-a").inUse() == 0);
    }

    @Test
    void aQueueThatMayNotBorrowWaitsAtItsQuotaBesideIdleGpus() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agents.start(agents.config("quota-strict").accelerator("GPU:nvidia:H100:81559:2"), "hold", context -> {
            release.await(60, TimeUnit.SECONDS);
            return HandlerResult.succeeded();
        });
        JobDefinition job = jobService.create(JobDefinition.builder("team-c-job").group("quota-strict").handler("hold")
                .accelerators(AcceleratorRequirement.of("GPU", 1)).queue("team-c").build(), "test");
        JobRun first = runService.trigger(job.id(), null, null, TriggerKind.API);
        awaitRun(first.id(), RunStatus.RUNNING, Duration.ofSeconds(10));
        JobRun second = runService.trigger(job.id(), null, null, TriggerKind.API);

        JobRun waiting = awaitRun(second.id(), RunStatus.WAITING, Duration.ofSeconds(10));
        assertThat(waiting.message()).isEqualTo("quota team-c 1/1 GPU; queue team-c does not borrow beyond its quota");
        assertThat(usage("team-c")).isEqualTo(new QueueUsage.Limit("GPU", null, 1, 1));

        release.countDown();
        awaitRun(first.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        awaitRun(second.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
    }

    private QueueUsage.Limit usage(String queue) throws Exception {
        List<QueueUsage> queues = engine.quotaUsage().get(5, TimeUnit.SECONDS).orElseThrow();
        return queues.stream().filter(usage -> usage.queue().equals(queue)).findFirst().orElseThrow().limits().get(0);
    }

}
