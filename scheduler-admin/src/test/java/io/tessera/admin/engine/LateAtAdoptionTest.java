package io.tessera.admin.engine;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.admin.store.RunStore.NewRun;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.apache.zookeeper.CreateMode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "runs dispatched but still PENDING in the database are treated by a new leader as
 * missed". A new leader reads the open runs, checks the late PENDING ones for attempt nodes, and
 * adopts them on the engine thread a moment later. A run that turns late in that moment was never
 * checked; judging lateness again at adoption called it missed, and SKIP cancelled it although the
 * last leader had sent it. The moment is stretched here by a clock that the term's reading thread
 * (its I/O thread) reads a minute behind every other.
 */
@Import(LateAtAdoptionTest.EngineThreadAhead.class)
class LateAtAdoptionTest extends EngineTestBase {

    private static final String GROUP = "late-at-adoption";

    /** How far every thread's clock is ahead of the term's I/O thread's. */
    static volatile Duration engineAhead = Duration.ZERO;

    @TestConfiguration
    static class EngineThreadAhead {
        @Bean
        Clock engineClock() {
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    Instant now = Instant.now();
                    return Thread.currentThread().getName().equals("tessera-engine-io") ? now : now.plus(engineAhead);
                }
            };
        }
    }

    @Autowired
    CuratorFramework curator;

    @AfterEach
    void clockBack() {
        engineAhead = Duration.ZERO;
        engine.lost();
        engine.gained();
    }

    @Test
    void aRunSentByTheLastLeaderThatTurnsLateDuringTheTakeOverIsTakenOverNotCancelled() throws Exception {
        TesseraAgent agent = agents.start(agents.config(GROUP), "work", Agents::ok);
        JobDefinition job = jobService.create(JobDefinition.builder("late-at-adoption").group(GROUP).handler("work")
                .schedule(Schedule.cron("0 0 0 1 1 ? 2099", ZoneOffset.UTC)).misfire(MisfirePolicy.SKIP).build(), "test");

        // The last leader recorded a fire due in 20 s, sent it, and its shard finished; the database still says PENDING.
        engine.lost();
        Instant due = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
        JobRun run = runStore.insertAll(List.of(new NewRun(new JobRun(null, job.id(), TriggerKind.CRON, due,
                RunStatus.PENDING, "", 1, 1, Instant.now(), null, null, ""), null))).get(0);
        ShardResult done = new ShardResult(WireMessage.PROTOCOL_VERSION, run.id(), 0, 1, job.id(), agent.executorId(),
                RunStatus.SUCCEEDED, null, "ran under the last leader", due, due.plusMillis(10), 1L);
        curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                .forPath(ZkLayout.attempt(run.id(), 0, 1), WireCodec.encode(done));

        // Read as on time (due in 20 s), adopted "a minute later": late by then, past the 5 s misfire threshold.
        engineAhead = Duration.ofSeconds(60);
        engine.gained();

        JobRun ended = awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(ended.status()).as("taken over with its result, not cancelled as missed").isEqualTo(RunStatus.SUCCEEDED);
        assertThat(agents.of(run.id())).as("the result was the last leader's; nothing ran again").isEmpty();
    }
}
