package io.tessera.admin.engine;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import io.tessera.executor.handler.HandlerResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine end to end with real agents: cron fires, GPU placement, waiting, retries, children, cancel. */
class EngineSchedulingTest extends EngineTestBase {

    @Test
    void aCronJobEverySecondFiresEachTimeOnceAndWithin100Ms() throws Exception {
        agents.start(agents.config("cron"), "tick", Agents::ok);
        JobDefinition job = jobService.create(JobDefinition.builder("every-second").group("cron").handler("tick")
                .schedule(Schedule.cron("* * * * * ?", ZoneId.of("Europe/Berlin"))).build(), "test");
        Instant from = Instant.now();

        await().atMost(Duration.ofSeconds(40)).until(() -> runs(job.id()).stream()
                .filter(run -> run.status() == RunStatus.SUCCEEDED).count() >= 20);
        jobService.setEnabled(job.id(), false, "test");

        List<JobRun> runs = runs(job.id()).stream().filter(run -> run.status() == RunStatus.SUCCEEDED)
                .sorted(java.util.Comparator.comparing(JobRun::scheduledAt)).toList();
        List<Instant> times = runs.stream().map(JobRun::scheduledAt).toList();
        assertThat(times).doesNotHaveDuplicates();
        assertThat(times).allMatch(time -> time.getNano() == 0, "on whole seconds");
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.between(times.get(i - 1), times.get(i))).as("no fire skipped").isEqualTo(Duration.ofSeconds(1));
        }
        assertThat(times.get(0)).isAfterOrEqualTo(from.minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        List<Long> lateness = new ArrayList<>();
        for (JobRun run : runs) {
            List<Agents.Invocation> started = agents.of(run.id());
            assertThat(started).as("run %d ran once", run.id()).hasSize(1);
            lateness.add(started.get(0).startedMillis() - run.scheduledAt().toEpochMilli());
            System.out.println("LATENCY run " + run.id() + " total " + lateness.get(lateness.size() - 1) + " ms, agent "
                    + started.get(0).agentMicros() + " us");
        }
        assertThat(lateness).allMatch(ms -> ms >= 0 && ms < 100, "handler started within 100 ms of its fire time: " + lateness);
    }

    @Test
    void gpuShardsGetDistinctDevicesAndAFifthRunWaitsUntilDevicesFree() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        for (int gpus : new int[]{1, 2, 1}) {
            agents.start(agents.config("gpu").accelerator("GPU:nvidia:H100:81559:" + gpus), "infer", context -> {
                release.await(60, TimeUnit.SECONDS);
                return HandlerResult.succeeded();
            });
        }
        JobDefinition job = jobService.create(JobDefinition.builder("inference").group("gpu").handler("infer")
                .shardCount(4).accelerators(AcceleratorRequirement.of("GPU", 1)).build(), "test");

        JobRun first = runService.trigger(job.id(), null, null, TriggerKind.API);
        await().atMost(Duration.ofSeconds(10)).until(() -> agents.of(first.id()).size() == 4);
        List<Agents.Invocation> placed = agents.of(first.id());
        assertThat(placed).extracting(invocation -> invocation.executorId() + "/" + invocation.devices())
                .doesNotHaveDuplicates();
        assertThat(placed).allMatch(invocation -> invocation.devices().size() == 1);

        JobDefinition single = jobService.create(JobDefinition.builder("inference-one").group("gpu").handler("infer")
                .accelerators(AcceleratorRequirement.of("GPU", 1)).build(), "test");
        JobRun fifth = runService.trigger(single.id(), null, null, TriggerKind.API);
        JobRun waiting = awaitRun(fifth.id(), RunStatus.WAITING, Duration.ofSeconds(10));
        assertThat(waiting.message()).contains("GPU", "must wait");
        assertThat(agents.of(fifth.id())).isEmpty();

        release.countDown();
        awaitRun(first.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        awaitRun(fifth.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(shards(first.id())).allMatch(shard -> shard.status() == RunStatus.SUCCEEDED && shard.devices().size() == 1);
    }

    @Test
    void aFailingShardIsRetriedUpToTheJobsRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        agents.start(agents.config("flaky"), "flaky", context ->
                calls.incrementAndGet() < 3 ? HandlerResult.failed("not yet") : HandlerResult.succeeded());
        JobDefinition job = jobService.create(JobDefinition.builder("flaky").group("flaky").handler("flaky")
                .maxRetries(2).build(), "test");

        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(agents.of(run.id())).extracting(Agents.Invocation::attempt).containsExactly(1, 2, 3);
        assertThat(shards(run.id())).singleElement().satisfies(shard -> assertThat(shard.attempt()).isEqualTo(3));
    }

    @Test
    void aShardThatFailsEveryRetryFailsTheRun() throws Exception {
        agents.start(agents.config("broken"), "broken", context -> HandlerResult.failed("disk full"));
        JobDefinition job = jobService.create(JobDefinition.builder("broken").group("broken").handler("broken")
                .maxRetries(1).build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        JobRun failed = awaitRun(run.id(), RunStatus.FAILED, Duration.ofSeconds(20));
        assertThat(failed.message()).contains("disk full");
        assertThat(agents.of(run.id())).hasSize(2);
    }

    @Test
    void childJobsFireWhenARunSucceeds() throws Exception {
        agents.start(agents.config("family"), "step", Agents::ok);
        JobDefinition child = jobService.create(JobDefinition.builder("child").group("family").handler("step").build(), "test");
        JobDefinition parent = jobService.create(JobDefinition.builder("parent").group("family").handler("step")
                .childJobIds(List.of(child.id())).build(), "test");
        JobRun run = runService.trigger(parent.id(), null, null, TriggerKind.MANUAL);
        awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(child.id()).stream()
                .anyMatch(childRun -> childRun.trigger() == TriggerKind.CHILD && childRun.status() == RunStatus.SUCCEEDED));
    }

    @Test
    void idempotencyKeyFiresOnce() throws Exception {
        agents.start(agents.config("idem"), "once", Agents::ok);
        JobDefinition job = jobService.create(JobDefinition.builder("idem").group("idem").handler("once").build(), "test");
        JobRun first = runService.trigger(job.id(), "a", "key-1", TriggerKind.API);
        JobRun second = runService.trigger(job.id(), "b", "key-1", TriggerKind.API);
        assertThat(second.id()).isEqualTo(first.id());
        awaitRun(first.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(10));
        assertThat(runs(job.id())).hasSize(1);
        assertThat(agents.of(first.id())).singleElement().satisfies(invocation -> assertThat(invocation.params()).isEqualTo("a"));
    }

    @Test
    void cancellingARunningRunStopsItsHandlers() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        agents.start(agents.config("cancel"), "long", context -> {
            started.countDown();
            Thread.sleep(60_000);
            return HandlerResult.succeeded();
        });
        JobDefinition job = jobService.create(JobDefinition.builder("long").group("cancel").handler("long")
                .shardCount(2).build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runService.cancel(run.id(), "cancelled by test")).isTrue();
        awaitRun(run.id(), RunStatus.CANCELLED, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> shards(run.id()).stream().allMatch(shard -> shard.status().isTerminal()));
    }

    @Test
    void aRunWhoseResultReportIsLostIsRecordedFromItsDoneNode() throws Exception {
        // This agent's reports never arrive: only the done node in ZooKeeper knows the result.
        agents.start(agents.config("lossy"), "quiet", Agents::ok,
                (result, target) -> new java.util.concurrent.CompletableFuture<>());
        JobDefinition job = jobService.create(JobDefinition.builder("quiet").group("lossy").handler("quiet").build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(15));
        assertThat(shards(run.id())).singleElement().satisfies(shard -> assertThat(shard.status()).isEqualTo(RunStatus.SUCCEEDED));
    }

    @Test
    void aRunThatWaitsLongerThanItsJobAllowsFailsAndSaysWhy() throws Exception {
        agents.start(agents.config("tiny").accelerator("GPU:nvidia:T4:15360:1"), "gpu", Agents::ok);
        JobDefinition job = jobService.create(JobDefinition.builder("too-big").group("tiny").handler("gpu")
                .accelerators(AcceleratorRequirement.of("GPU", 2)).maxWaitSeconds(1).build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.API);
        JobRun failed = awaitRun(run.id(), RunStatus.FAILED, Duration.ofSeconds(15));
        assertThat(failed.message()).contains("waited longer than 1 s", "needs 2 GPU on one executor");
        assertThat(agents.of(run.id())).isEmpty();
    }

    @Test
    void aShardThatRunsPastItsTimeoutIsStoppedAndTheRunTimesOut() throws Exception {
        agents.start(agents.config("slow"), "slow", context -> {
            Thread.sleep(60_000);
            return HandlerResult.succeeded();
        });
        JobDefinition job = jobService.create(JobDefinition.builder("slow").group("slow").handler("slow")
                .timeoutSeconds(1).build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        awaitRun(run.id(), RunStatus.TIMED_OUT, Duration.ofSeconds(15));
        assertThat(shards(run.id())).singleElement().satisfies(shard -> assertThat(shard.status()).isEqualTo(RunStatus.TIMED_OUT));
    }

    @Test
    void aGangGetsOneRendezvousForAllItsRanks() throws Exception {
        List<io.tessera.core.wire.TriggerRequest.Rendezvous> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            agents.start(agents.config("gang"), "rank", context -> {
                seen.add(context.rendezvous());
                return HandlerResult.succeeded();
            });
        }
        JobDefinition job = jobService.create(JobDefinition.builder("train").group("gang").handler("rank")
                .shardCount(2).gang(true).build(), "test");
        JobRun run = runService.trigger(job.id(), null, null, TriggerKind.MANUAL);
        awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(15));
        assertThat(seen).hasSize(2).allSatisfy(rendezvous -> {
            assertThat(rendezvous).isNotNull();
            assertThat(rendezvous.masterAddr()).isEqualTo("127.0.0.1");
            assertThat(rendezvous.masterPort()).isBetween(29500, 29999);
        });
        assertThat(seen.get(0).masterPort()).isEqualTo(seen.get(1).masterPort());
    }

    private List<JobRun> runs(long jobId) {
        return runStore.list(jobId, null, null, null, 0, 10_000);
    }
}
