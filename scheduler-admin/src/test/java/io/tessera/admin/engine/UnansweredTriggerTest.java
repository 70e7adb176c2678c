package io.tessera.admin.engine;

import io.tessera.admin.config.TestAdmin;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.wire.WirePaths;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A trigger times out while its executor is alive: the admin looks the attempt up instead of
 * placing it elsewhere. A trigger that was lost on the way is sent again, same attempt, to the same
 * executor; one whose answer comes late is found held there and followed. Either way the shard runs
 * once, where it was placed, and the other executor of the group never hears of it.
 */
class UnansweredTriggerTest extends EngineTestBase {

    private final List<ExecutorProxy> proxies = new ArrayList<>();
    /** The handler runs until the test has seen what it waits for: the claim is held all that time. */
    private final CountDownLatch finish = new CountDownLatch(1);

    @AfterEach
    void closeProxies() throws Exception {
        finish.countDown();
        for (ExecutorProxy proxy : proxies) {
            proxy.close();
        }
    }

    /** An agent reached through a proxy on {@code listenHost}: its card advertises the proxy. */
    private TesseraAgent behindProxy(String listenHost, String group, ExecutorProxyHandle handle) throws Exception {
        int port = TestAdmin.freePort();
        ExecutorProxy proxy = new ExecutorProxy(listenHost, port, port);
        proxies.add(proxy);
        handle.proxy = proxy;
        return agents.start(agents.config(group).advertisedHost(listenHost).port(port), "slow", context -> {
            return finish.await(30, TimeUnit.SECONDS) ? HandlerResult.succeeded()
                    : HandlerResult.failed("the test never let the handler finish");
        });
    }

    private static final class ExecutorProxyHandle {
        ExecutorProxy proxy;
    }

    @Test
    void aLostTriggerIsSentAgainToTheSameExecutorAndALateAnswerIsFollowedThere() throws Exception {
        ExecutorProxyHandle first = new ExecutorProxyHandle();
        ExecutorProxyHandle second = new ExecutorProxyHandle();
        TesseraAgent placedOn = behindProxy("127.0.0.2", "unanswered", first);
        behindProxy("127.0.0.3", "unanswered", second);
        // The first trigger is lost on the way; the one sent again arrives, but its answer comes after the timeout.
        first.proxy.swallowNext(WirePaths.TRIGGERS, 1);
        first.proxy.delayAnswers(WirePaths.TRIGGERS, Duration.ofMillis(2_500));

        JobDefinition job = jobService.create(JobDefinition.builder("unanswered").group("unanswered").handler("slow")
                .routing(RoutingStrategy.FIRST).build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        // The shard runs on while its trigger goes unanswered, is sent again and answered late.
        await().atMost(Duration.ofSeconds(30)).until(() -> first.proxy.answers(WirePaths.TRIGGERS) >= 1);
        finish.countDown();
        awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));

        assertThat(agents.of(run.id())).as("the shard ran once, attempt 1, where it was placed").singleElement()
                .satisfies(invocation -> {
                    assertThat(invocation.executorId()).isEqualTo(placedOn.executorId());
                    assertThat(invocation.attempt()).isEqualTo(1);
                });
        assertThat(first.proxy.requests(WirePaths.TRIGGERS)).as("the lost trigger, then the same attempt once more").isEqualTo(2);
        assertThat(second.proxy.requests(WirePaths.TRIGGERS)).as("nothing was placed elsewhere").isZero();
        assertThat(shards(run.id())).singleElement().satisfies(shard -> {
            assertThat(shard.attempt()).isEqualTo(1);
            assertThat(shard.executorId()).isEqualTo(placedOn.executorId());
        });
    }
}
