package io.tessera.admin.engine;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.schedule.Schedule;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine falls behind for real: the database stops answering (H2's exclusive mode pauses every
 * other connection) while a job fires every second, so fires cannot be recorded in time. The engine
 * must say it is overloaded, with the queue depths, go back to scheduling by itself once the database
 * answers again, and still run every fire of the stall once (none waits past the misfire threshold).
 */
class EngineOverloadTest extends EngineTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void aStalledDatabaseShowsAsOverloadedWithQueueDepthsAndTheEngineRecoversWithoutLosingAFire() throws Exception {
        agents.start(agents.config("overload"), "tick", Agents::ok);
        JobDefinition job = jobService.create(JobDefinition.builder("overload-tick").group("overload").handler("tick")
                .schedule(Schedule.cron("* * * * * ?", ZoneOffset.UTC)).build(), "test");
        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded(job.id()).size() >= 2);
        Instant from = succeeded(job.id()).stream().map(JobRun::scheduledAt).min(Comparator.naturalOrder()).orElseThrow();

        Instant stalled;
        Instant released;
        EngineHealth.Status overloaded;
        try (Connection exclusive = dataSource.getConnection(); Statement sql = exclusive.createStatement()) {
            sql.execute("SET EXCLUSIVE 1");
            stalled = Instant.now();
            try {
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .until(() -> engine.health().status().mode() == EngineHealth.Mode.OVERLOADED);
                overloaded = engine.health().status();
            } finally {
                sql.execute("SET EXCLUSIVE 0");
                released = Instant.now();
            }
        }
        assertThat(overloaded.reason()).as("says how far behind, and the queue depths")
                .matches(".*\\d+ ms after their (fire )?time.*\\(queues: \\d+ trigger\\(s\\), \\d+ write\\(s\\), .*");
        // Fires of the look-ahead were recorded before the stall; the later ones wait for it to end. Released
        // this soon, none of them waits past the misfire threshold (5 s), so every one must still run.
        assertThat(Duration.between(stalled, released)).as("stall").isLessThan(Duration.ofMillis(2500 + 5000 - 500));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);
        Instant through = released.plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded(job.id()).stream()
                .anyMatch(run -> !run.scheduledAt().isBefore(through)));
        jobService.setEnabled(job.id(), false, "test");

        List<JobRun> around = succeeded(job.id()).stream()
                .filter(run -> !run.scheduledAt().isBefore(from) && !run.scheduledAt().isAfter(through))
                .sorted(Comparator.comparing(JobRun::scheduledAt)).toList();
        List<Instant> everySecond = LongStream.rangeClosed(0, from.until(through, ChronoUnit.SECONDS))
                .mapToObj(from::plusSeconds).toList();
        assertThat(around).extracting(JobRun::scheduledAt).as("every second from the job's first fire until after the stall fired, once")
                .containsExactlyElementsOf(everySecond);
        for (JobRun run : around) {
            assertThat(agents.of(run.id())).as("run %d (fire %s) ran once", run.id(), run.scheduledAt()).hasSize(1);
        }
    }

    @Test
    void handlersThatStartLateOnTheirExecutorShowAsOverloadedAndClearOnceTheyCatchUp() throws Exception {
        // Each run takes 1.5 s and the job fires every second, one after the other (SERIAL): the engine
        // launches on time, but every handler starts half a second later than the one before.
        agents.start(agents.config("overload-slow"), "slow", context -> {
            Thread.sleep(1_500);
            return io.tessera.executor.handler.HandlerResult.succeeded();
        });
        JobDefinition job = jobService.create(JobDefinition.builder("overload-slow").group("overload-slow").handler("slow")
                .schedule(Schedule.cron("* * * * * ?", ZoneOffset.UTC)).build(), "test");
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> engine.health().status().mode() == EngineHealth.Mode.OVERLOADED);
            assertThat(engine.health().status().reason()).as("names the late starts and the queues")
                    .matches(".*handlers started up to \\d+ ms after their fire time.*\\(queues: .*");
        } finally {
            jobService.setEnabled(job.id(), false, "test");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);
    }

    private List<JobRun> succeeded(long jobId) {
        return runStore.list(jobId, RunStatus.SUCCEEDED, null, null, 0, 10_000);
    }
}
