package io.tessera.admin.engine;

import io.tessera.executor.support.PartitionProxy;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent cut off from ZooKeeper while it runs a shard (a partition: its process lives on) is a
 * zombie once the server expires its session and the leader re-places the shard. It must have
 * stopped its handler by then: the zombie's handler stops before the new holder's starts.
 */
class ZombieFailoverTest extends EngineTestBase {

    @Test
    void aPartitionedAgentsHandlerStopsBeforeTheShardStartsElsewhere() throws Exception {
        CountDownLatch zombieStarted = new CountDownLatch(1);
        AtomicLong zombieStoppedAt = new AtomicLong();
        AtomicLong successorStartedAt = new AtomicLong();
        try (PartitionProxy network = new PartitionProxy("127.0.0.1", zookeeper.port())) {
            // A longer session than the server's 2 s tick rounds expiry by, so that the order is not luck.
            TesseraAgent zombie = agents.start(agents.config("partitioned").zookeeper(network.connectString())
                    .sessionTimeout(Duration.ofSeconds(8)).killGrace(Duration.ofSeconds(1)), "long", context -> {
                        zombieStarted.countDown();
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            zombieStoppedAt.set(System.nanoTime());
                            throw e;
                        }
                        return HandlerResult.succeeded();
                    });
            JobDefinition job = jobService.create(JobDefinition.builder("outlives-its-session").group("partitioned")
                    .handler("long").maxRetries(1).build(), "test");
            JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
            assertThat(zombieStarted.await(15, TimeUnit.SECONDS)).isTrue();
            agents.start(agents.config("partitioned"), "long", context -> {
                successorStartedAt.set(System.nanoTime());
                return HandlerResult.succeeded();
            });

            long cutAt = System.nanoTime();
            network.cut();

            JobRun finished = awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(40));
            assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);
            await().atMost(Duration.ofSeconds(20)).until(() -> zombieStoppedAt.get() != 0);
            System.out.printf("zombie stopped %d ms, successor started %d ms after the cut%n",
                    (zombieStoppedAt.get() - cutAt) / 1_000_000, (successorStartedAt.get() - cutAt) / 1_000_000);
            assertThat(zombieStoppedAt.get()).as("the zombie's handler stopped before the new holder's started")
                    .isLessThan(successorStartedAt.get());
            List<Agents.Invocation> invocations = agents.of(run.id());
            assertThat(invocations).extracting(Agents.Invocation::attempt).containsExactly(1, 2);
            assertThat(invocations.get(0).executorId()).as("attempt 1 on the zombie").isEqualTo(zombie.executorId());
            assertThat(invocations.get(1).executorId()).as("attempt 2 elsewhere").isNotEqualTo(zombie.executorId());
            network.heal(); // the zombie closes on a new session, without waiting for ZooKeeper
            zombie.close();
        }
    }
}
