package io.tessera.admin.engine;

import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The executor's block strategies against the admin's retries, with a retry budget: a run that
 * REPLACE_OLD stopped, and a run that DISCARD_NEW refused, were stopped on purpose. Neither is
 * retried (or the runs would take turns replacing each other, or be discarded until the budget is
 * spent and end FAILED); each ends CANCELLED with a message that names the other run, and the
 * run that holds the executor completes.
 */
class BlockStrategyRetryTest extends EngineTestBase {

    /** Opened by the test once it has seen what it waits for; handlers hold the executor until then. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void letHandlersGo() {
        release.countDown();
    }

    /** Every run holds its executor until the test lets it go, or until it is stopped there. */
    private HandlerResult hold(io.tessera.executor.handler.ShardContext context) throws InterruptedException {
        return release.await(30, TimeUnit.SECONDS) ? HandlerResult.succeeded()
                : HandlerResult.failed("the test never let the handler finish");
    }

    @Test
    void aReplacedRunIsNotRetriedAndTheNewerRunCompletes() throws Exception {
        agents.start(agents.config("replace-old"), "hold", this::hold);
        JobDefinition job = jobService.create(JobDefinition.builder("replace-old").group("replace-old").handler("hold")
                .blockStrategy(BlockStrategy.REPLACE_OLD).maxRetries(2).build(), "test");

        JobRun older = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        await().atMost(Duration.ofSeconds(15)).until(() -> agents.of(older.id()).size() == 1);
        JobRun newer = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);

        JobRun replaced = awaitRun(older.id(), RunStatus.CANCELLED, Duration.ofSeconds(20));
        assertThat(replaced.message()).as("the replaced run says what happened").contains("replaced by run " + newer.id());
        release.countDown();
        awaitRun(newer.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));

        assertThat(agents.of(older.id())).as("the replaced run ran once, attempt 1, and was not retried").singleElement()
                .extracting(Agents.Invocation::attempt).isEqualTo(1);
        assertThat(agents.of(newer.id())).as("the newer run ran once").singleElement()
                .extracting(Agents.Invocation::attempt).isEqualTo(1);
        assertThat(shards(older.id())).singleElement().satisfies(shard -> {
            assertThat(shard.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(shard.attempt()).isEqualTo(1);
        });
        assertThat(runStore.find(older.id()).orElseThrow().status()).as("still replaced, nothing took turns")
                .isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void aDiscardedRunIsNotRetriedAndSaysWhichRunStillRuns() throws Exception {
        agents.start(agents.config("discard-new"), "hold", this::hold);
        JobDefinition job = jobService.create(JobDefinition.builder("discard-new").group("discard-new").handler("hold")
                .blockStrategy(BlockStrategy.DISCARD_NEW).maxRetries(2).build(), "test");

        JobRun running = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        await().atMost(Duration.ofSeconds(15)).until(() -> agents.of(running.id()).size() == 1);
        JobRun discarded = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);

        JobRun ended = awaitRun(discarded.id(), RunStatus.CANCELLED, Duration.ofSeconds(20));
        assertThat(ended.message()).as("the discarded run says what happened")
                .contains("discarded: run " + running.id() + " still running");
        release.countDown();
        awaitRun(running.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));

        assertThat(agents.of(discarded.id())).as("the discarded run never ran").isEmpty();
        assertThat(agents.of(running.id())).singleElement().extracting(Agents.Invocation::attempt).isEqualTo(1);
        assertThat(shards(discarded.id())).singleElement().satisfies(shard -> {
            assertThat(shard.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(shard.attempt()).as("no retry of a discard").isEqualTo(1);
        });
    }
}
