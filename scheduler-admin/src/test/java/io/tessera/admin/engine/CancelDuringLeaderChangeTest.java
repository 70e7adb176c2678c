package io.tessera.admin.engine;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, "cancel during a leader change": a cancel that reaches a term as it ends is not lost in
 * its dropped queue. The call returns at once, the run ends CANCELLED, and the next term does not
 * run it again.
 */
class CancelDuringLeaderChangeTest extends EngineTestBase {

    @Test
    void aCancelPostedToAnEndingTermIsRecordedAndHonouredByTheNextTerm() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agents.start(agents.config("cancel-move"), "long", context -> {
            release.await(60, TimeUnit.SECONDS);
            return HandlerResult.succeeded();
        });
        JobDefinition job = jobService.create(JobDefinition.builder("cancel-while-moving").group("cancel-move")
                .handler("long").build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        await().atMost(Duration.ofSeconds(10)).until(() -> agents.of(run.id()).size() == 1);
        try {
            // The ending term is busy with an event of its own, so the cancel waits in its queue when it stops.
            EngineTerm ending = currentTerm();
            CountDownLatch busy = new CountDownLatch(1);
            ending.post(() -> {
                busy.countDown();
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CompletableFuture<Boolean> cancelled = CompletableFuture.supplyAsync(() -> runService.cancel(run.id(), "test cancel"))
                    .whenComplete((result, error) -> failure.set(error));
            await("the cancel is queued on the ending term").atMost(Duration.ofSeconds(5))
                    .until(() -> engine.isLeading() && !cancelled.isDone());

            long before = System.nanoTime();
            engine.lost();
            engine.gained();

            assertThat(cancelled.get(3, TimeUnit.SECONDS)).as("the cancel is taken").isTrue();
            assertThat(failure.get()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).as("the cancel returned promptly").isLessThan(Duration.ofSeconds(5));
            awaitRun(run.id(), RunStatus.CANCELLED, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);
            await("the next term does not run it again").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> agents.of(run.id()).size() == 1
                            && runStore.find(run.id()).map(JobRun::status).orElse(null) == RunStatus.CANCELLED);
        } finally {
            release.countDown();
        }
    }

    private EngineTerm currentTerm() throws ReflectiveOperationException {
        Field term = SchedulingEngine.class.getDeclaredField("term");
        term.setAccessible(true);
        return ((AtomicReference<?>) term.get(engine)).get() instanceof EngineTerm current ? current : null;
    }
}
