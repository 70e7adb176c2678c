package io.tessera.admin.record;

import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunChange;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.store.mybatis.StoreTestApplication;
import io.tessera.admin.store.mybatis.TestDatabases;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine's writer against a real database (H2): order, one transaction per drain, bad rows skipped alone. */
@SpringBootTest(classes = StoreTestApplication.class)
class RunWriterTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabases.h2Url(TestDatabases.uniqueName()));
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    @Autowired
    JobStore jobs;
    @Autowired
    RunStore runs;

    private final List<RunChange> skipped = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private RunWriter writer;

    private RunWriter writer() {
        return writer(Duration.ZERO);
    }

    private RunWriter writer(Duration holdBack) {
        writer = new RunWriter(runs, new RunWriter.Listener() {
            @Override
            public void failing(Throwable error) {
                failures.incrementAndGet();
            }

            @Override
            public void recovered() {
            }

            @Override
            public void skipped(RunChange change, Throwable error) {
                skipped.add(change);
            }
        }, java.time.Clock.systemUTC(), holdBack);
        return writer;
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRowTheDatabaseRefusesIsSkippedAloneAndTheQueueGoesOn() {
        RunWriter writer = writer();
        List<JobRun> recorded = record(40);
        List<RunChange> changes = new ArrayList<>();
        for (JobRun run : recorded) {
            String executor = run == recorded.get(17) ? "x".repeat(300) : "exec-a";
            changes.add(new RunChange.ShardUpdate(new ShardRun(run.id(), 0, RunStatus.RUNNING, executor, 1, List.of(), T0,
                    null, null, "")));
            changes.add(new RunChange.RunUpdate(run.id(), RunStatus.RUNNING, 1, T0, null, ""));
        }
        AtomicInteger stored = new AtomicInteger();
        writer.write(changes);
        writer.write(new RunChange.RunUpdate(recorded.get(39).id(), RunStatus.SUCCEEDED, 1, null, T0.plusSeconds(1), "done"),
                stored::incrementAndGet);

        await().atMost(Duration.ofSeconds(10)).until(() -> stored.get() == 1 && writer.backlog() == 0);
        assertThat(skipped).singleElement().satisfies(change ->
                assertThat(((RunChange.ShardUpdate) change).shard().runId()).isEqualTo(recorded.get(17).id()));
        assertThat(writer.skipped()).isEqualTo(1);
        assertThat(failures).as("a bad row is no outage").hasValue(0);
        assertThat(writer.healthy()).isTrue();
        for (JobRun run : recorded) {
            RunStatus expected = run == recorded.get(39) ? RunStatus.SUCCEEDED : RunStatus.RUNNING;
            assertThat(runs.find(run.id()).orElseThrow().status()).as("run %d", run.id()).isEqualTo(expected);
            RunStatus shard = run == recorded.get(17) ? RunStatus.PENDING : RunStatus.RUNNING;
            assertThat(runs.shards(run.id()).get(0).status()).as("shard of run %d", run.id()).isEqualTo(shard);
        }
    }

    @Test
    void changesOfOneRunApplyInTheOrderTheyWereWritten() {
        RunWriter writer = writer();
        JobRun run = record(1).get(0);
        for (int i = 0; i < 500; i++) {
            writer.write(new RunChange.RunUpdate(run.id(), RunStatus.RUNNING, 1, T0, null, "step " + i));
        }
        AtomicInteger stored = new AtomicInteger();
        writer.write(new RunChange.RunUpdate(run.id(), RunStatus.RUNNING, 1, T0, null, "last"), stored::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> stored.get() == 1);
        assertThat(runs.find(run.id()).orElseThrow().message()).isEqualTo("last");
    }

    @Test
    void inFlightChangesWaitAndMergeWithWhatFollows() {
        RunWriter writer = writer(Duration.ofSeconds(2));
        List<JobRun> recorded = record(2);
        JobRun quick = recorded.get(0);
        JobRun slow = recorded.get(1);
        writer.inFlight(List.of(
                new RunChange.ShardUpdate(new ShardRun(quick.id(), 0, RunStatus.RUNNING, "exec-a", 1, List.of(), T0, null, null, "")),
                new RunChange.RunUpdate(quick.id(), RunStatus.RUNNING, 1, T0, null, ""),
                new RunChange.ShardUpdate(new ShardRun(slow.id(), 0, RunStatus.RUNNING, "exec-b", 1, List.of(), T0, null, null, "")),
                new RunChange.RunUpdate(slow.id(), RunStatus.RUNNING, 1, T0, null, "")));
        // The quick run's result was stored by its report, then the engine finished the run.
        assertThat(runs.completeShard(new ShardRun(quick.id(), 0, RunStatus.SUCCEEDED, "exec-a", 1, List.of(), T0,
                T0.plusMillis(5), 0, "ok"))).isTrue();
        writer.resultStored(quick.id(), 0, 1);
        AtomicInteger stored = new AtomicInteger();
        writer.write(new RunChange.RunUpdate(quick.id(), RunStatus.SUCCEEDED, 1, null, T0.plusMillis(6), "1 SUCCEEDED"),
                stored::incrementAndGet);

        await().atMost(Duration.ofSeconds(5)).until(() -> stored.get() == 1);
        JobRun done = runs.find(quick.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.startedAt()).as("the start merged into the final write").isEqualTo(T0);
        assertThat(runs.find(slow.id()).orElseThrow().status()).as("still held back").isEqualTo(RunStatus.PENDING);
        assertThat(writer.backlog()).as("only the slow run's two rows wait; the quick shard's placement was dropped").isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> writer.backlog() == 0);
        assertThat(runs.find(slow.id()).orElseThrow().status()).as("written after the hold-back").isEqualTo(RunStatus.RUNNING);
        assertThat(runs.shards(slow.id()).get(0).executorId()).isEqualTo("exec-b");
    }

    private List<JobRun> record(int count) {
        JobDefinition job = jobs.insert(JobDefinition.builder("writer-" + UUID.randomUUID()).schedule(Schedule.fixedRate(1))
                .handler("noop").build());
        List<RunStore.NewRun> fires = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fires.add(new RunStore.NewRun(new JobRun(null, job.id(), TriggerKind.FIXED_RATE, T0.plusSeconds(i), RunStatus.PENDING,
                    "", 1, 1, T0, null, null, ""), null));
        }
        return runs.insertAll(fires);
    }
}
