package io.tessera.admin.engine;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backfill with a reservation: a waiting run holds the executor that, once drained, takes it; runs
 * behind it fill the other executors but never the held one.
 */
class BackfillTest extends EngineTestBase {

    @Test
    void smallerRunsBehindAWaitingRunUseOnlyTheExecutorsItDoesNotHold() throws Exception {
        CountDownLatch releaseHolder = new CountDownLatch(1);
        CountDownLatch releaseSmall = new CountDownLatch(1);
        TesseraAgent big = agents.start(agents.config("backfill").accelerator("GPU:nvidia:H100:81559:4"), "hold", context -> {
            releaseHolder.await(60, TimeUnit.SECONDS);
            return HandlerResult.succeeded();
        });
        TesseraAgent small = agents.start(agents.config("backfill").accelerator("GPU:nvidia:L4:23034:1"), "hold", context -> {
            releaseHolder.await(60, TimeUnit.SECONDS);
            return HandlerResult.succeeded();
        });
        for (TesseraAgent agent : new TesseraAgent[]{big, small}) {
            agent.handlers().register("short", context -> {
                releaseSmall.await(60, TimeUnit.SECONDS);
                return HandlerResult.succeeded();
            });
            agent.handlers().register("wide", Agents::ok);
        }
        JobDefinition holder = jobService.create(JobDefinition.builder("holds-two-h100").group("backfill").handler("hold")
                .accelerators(AcceleratorRequirement.parse("GPU:2:*H100*")).build(), "test");
        JobRun held = runService.trigger(holder.id(), null, null, TriggerKind.API);
        awaitRun(held.id(), RunStatus.RUNNING, Duration.ofSeconds(10));

        JobDefinition wide = jobService.create(JobDefinition.builder("needs-four").group("backfill").handler("wide")
                .accelerators(AcceleratorRequirement.of("GPU", 4)).build(), "test");
        JobRun waiting = runService.trigger(wide.id(), null, null, TriggerKind.API);
        awaitRun(waiting.id(), RunStatus.WAITING, Duration.ofSeconds(10));

        JobDefinition narrow = jobService.create(JobDefinition.builder("needs-one").group("backfill").handler("short")
                .accelerators(AcceleratorRequirement.of("GPU", 1)).build(), "test");
        JobRun backfilled = runService.trigger(narrow.id(), null, null, TriggerKind.API);
        awaitRun(backfilled.id(), RunStatus.RUNNING, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> shards(backfilled.id()).get(0).executorId() != null);
        assertThat(shards(backfilled.id()).get(0).executorId()).as("the free L4, not the held H100 box")
                .isEqualTo(small.executorId());

        JobRun behind = runService.trigger(narrow.id(), null, null, TriggerKind.API);
        JobRun kept = awaitRun(behind.id(), RunStatus.WAITING, Duration.ofSeconds(10));
        assertThat(kept.message()).as("two H100s are free, but held for the 4-GPU run ahead of it")
                .contains("held for waiting runs ahead of it").contains(big.executorId());

        releaseHolder.countDown();
        awaitRun(waiting.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        releaseSmall.countDown();
        awaitRun(backfilled.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        awaitRun(behind.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(shards(waiting.id()).get(0).startedAt()).as("the held run went before the one behind it")
                .isBefore(shards(behind.id()).get(0).startedAt());
    }
}
