package io.tessera.admin.engine;

import io.tessera.admin.config.TestAdmin;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.wire.WirePaths;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.handler.ShardContext;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent restarted with the same executor id while its old session still lives (a process killed
 * a moment ago): the executor is registered twice, and the admin knows it by its older member node.
 * The new instance claims a shard, starts it, and is stopped before its answer reaches the admin;
 * its claim is gone. The admin must not send the same attempt again, although the executor it
 * knows is still "up in the same session": the handler may have run, so the next execution is
 * attempt 2, and no attempt number is ever seen twice.
 */
class LostClaimAttemptTest extends EngineTestBase {

    private static final String GROUP = "lost-claim";
    private static final String EXECUTOR_ID = "lost-claim-executor";

    @Autowired
    CuratorFramework curator;

    private ExecutorProxy proxy;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeProxy() throws Exception {
        release.countDown();
        if (proxy != null) {
            proxy.close();
        }
    }

    /** An instance of the executor, bound on {@code bindHost}, reached through the proxy's address. */
    private AgentConfig.Builder instance(String bindHost, int port) {
        return agents.config(GROUP).executorId(EXECUTOR_ID).bindHost(bindHost).advertisedHost("127.0.0.2").port(port);
    }

    /** The first execution holds until it is stopped; any later one succeeds at once. */
    private HandlerResult work(ShardContext context) throws InterruptedException {
        if (started.getCount() > 0) {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
            return HandlerResult.failed("stopped with its agent");
        }
        return HandlerResult.succeeded();
    }

    private int members() throws Exception {
        return curator.getChildren().forPath(ZkLayout.group(GROUP)).size();
    }

    @Test
    void aClaimLostWithItsAgentIsNeverRunAgainUnderTheSameAttempt() throws Exception {
        int port = TestAdmin.freePort();
        proxy = new ExecutorProxy("127.0.0.2", port, port);
        // The claiming instance's answer would come after the admin gave up on it: the trigger goes unanswered.
        proxy.delayAnswers(WirePaths.TRIGGERS, Duration.ofMillis(2_500));
        // The old session of the executor, still registered; nothing reaches it (the proxy forwards to 127.0.0.1).
        agents.start(instance("127.0.0.3", port), "work", this::work);
        await().atMost(Duration.ofSeconds(10)).until(() -> members() == 1);
        TesseraAgent claiming = agents.start(instance("127.0.0.1", port), "work", this::work);
        await().atMost(Duration.ofSeconds(10)).until(() -> members() == 2);

        JobDefinition job = jobService.create(JobDefinition.builder("lost-claim").group(GROUP).handler("work")
                .routing(RoutingStrategy.FIRST).maxRetries(3).build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        assertThat(started.await(15, TimeUnit.SECONDS)).as("the shard started on the claiming instance").isTrue();

        // Stopped mid-shard: its handler is stopped and its claim goes, before the admin has heard from it.
        claiming.close();
        agents.start(instance("127.0.0.1", port), "work", this::work);

        awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(agents.of(run.id())).extracting(Agents.Invocation::attempt)
                .as("the handler never sees an attempt twice; the execution after the lost claim is attempt 2")
                .containsExactly(1, 2);
        assertThat(shards(run.id())).singleElement().satisfies(shard -> {
            assertThat(shard.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(shard.attempt()).isEqualTo(2);
        });
        // The leader wrote "lost" into attempt 1's node before placing attempt 2, so the stopped instance can never
        // record a result for attempt 1 afterwards (on a later session) while attempt 2 runs.
        ShardResult verdict = WireCodec.decode(curator.getData().forPath(ZkLayout.attempt(run.id(), 0, 1)), ShardResult.class);
        assertThat(verdict.status()).isEqualTo(RunStatus.FAILED);
        assertThat(verdict.message()).startsWith("lost: ");
        assertThat(verdict.fencingToken()).as("no holder's token").isZero();
    }
}
