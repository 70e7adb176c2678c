package io.tessera.admin.store.mybatis;

import io.tessera.admin.api.RefusedData;
import io.tessera.admin.engine.DatabaseFailures;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.AuditStore.AuditEntry;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.RunChange;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.store.RunStore.NewRun;
import io.tessera.admin.store.UserStore;
import io.tessera.admin.store.UserStore.User;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.schedule.ScheduleType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every database must do for the stores; run on H2 and on MariaDB by the subclasses. Each test
 * makes its own jobs (unique names), so the tests share one database without interfering.
 */
@SpringBootTest(classes = StoreTestApplication.class)
abstract class StoresContract {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Instant T0 = Instant.parse("2026-03-29T00:59:58.123456Z");

    @Autowired
    JobStore jobs;
    @Autowired
    RunStore runs;
    @Autowired
    UserStore users;
    @Autowired
    ApiTokenStore tokens;
    @Autowired
    AuditStore audit;
    @Autowired
    JdbcTemplate jdbc;

    // ---- jobs ----

    @Test
    void aJobRoundTripsEveryField() {
        JobDefinition job = JobDefinition.builder(unique("train"))
                .group("gpu-pool")
                .schedule(Schedule.cron("0 */5 * * * ?", ZoneId.of("Europe/Berlin")))
                .handler("command")
                .params("python train.py --epochs 3 ✓")
                .shardCount(4)
                .accelerators(AcceleratorRequirement.parse("GPU:2:*A100*80GB*:40000"))
                .gang(true)
                .routing(RoutingStrategy.LEAST_BUSY)
                .blockStrategy(BlockStrategy.DISCARD_NEW)
                .misfire(MisfirePolicy.CATCH_UP)
                .timeoutSeconds(3600)
                .maxRetries(2)
                .maxWaitSeconds(600)
                .childJobIds(List.of(7L, 9L))
                .enabled(false)
                .priority(-7)
                .preemptible(true)
                .queue("team-a")
                .preemptionGraceSeconds(45)
                .build();

        JobDefinition stored = jobs.insert(job);

        assertThat(stored.id()).isNotNull();
        assertThat(stored).isEqualTo(job.toBuilder().id(stored.id()).build());
        assertThat(jobs.find(stored.id())).contains(stored);
        assertThat(jobs.findByName(job.name())).contains(stored);
    }

    @Test
    void anAcceleratorModelWithColonsIsStoredApartAndRoundTrips() {
        JobDefinition job = JobDefinition.builder(unique("colons"))
                .accelerators(new AcceleratorRequirement("GPU", 2, "H100:SXM:80", 40000)).build();

        JobDefinition stored = jobs.insert(job);

        assertThat(jobs.find(stored.id())).contains(stored);
        assertThat(jobs.find(stored.id()).orElseThrow().accelerators().modelPattern()).isEqualTo("H100:SXM:80");
        assertThat(jdbc.queryForObject("SELECT accelerators FROM job WHERE id = ?", String.class, stored.id()))
                .startsWith("{").contains("\"model\":\"H100:SXM:80\"");
    }

    @Test
    void rowsWrittenInThePreV3TextFormAreStillRead() {
        JobDefinition stored = jobs.insert(JobDefinition.builder(unique("legacy")).accelerators(AcceleratorRequirement.of("GPU", 1)).build());
        Map<String, AcceleratorRequirement> legacy = Map.of(
                "GPU:1", new AcceleratorRequirement("GPU", 1, null, 0),
                "GPU:2:H100", new AcceleratorRequirement("GPU", 2, "H100", 0),
                "GPU:1::40000", new AcceleratorRequirement("GPU", 1, null, 40000),
                "GPU:2:*A100*:40000", new AcceleratorRequirement("GPU", 2, "*A100*", 40000),
                "GPU:1:H100:SXM", new AcceleratorRequirement("GPU", 1, "H100:SXM", 0),
                "GPU:1:H100:SXM:81000", new AcceleratorRequirement("GPU", 1, "H100:SXM", 81000));
        legacy.forEach((text, need) -> {
            jdbc.update("UPDATE job SET accelerators = ? WHERE id = ?", text, stored.id());
            assertThat(jobs.find(stored.id()).orElseThrow().accelerators()).as(text).isEqualTo(need);
        });
    }

    @Test
    void aRowThatCannotBeReadIsSkippedByListsAndNamedWithWhy() {
        String tag = "unreadable" + SEQUENCE.incrementAndGet() + "x";
        JobDefinition good = jobs.insert(JobDefinition.builder(tag + "-good").schedule(Schedule.fixedRate(5)).build());
        JobDefinition bad = jobs.insert(JobDefinition.builder(tag + "-bad").schedule(Schedule.fixedRate(5)).build());
        jdbc.update("UPDATE job SET accelerators = ? WHERE id = ?", "{\"kind\":\"GPU\",\"count\":", bad.id());

        assertThat(jobs.list(tag, 0, 10)).containsExactly(good);
        assertThat(jobs.listScheduled()).contains(good).noneMatch(job -> job.id().equals(bad.id()));
        assertThat(jobs.find(bad.id())).isEmpty();
        assertThat(jobs.unreadable(tag, 0, 10)).singleElement().satisfies(row -> {
            assertThat(row.id()).isEqualTo(bad.id());
            assertThat(row.name()).isEqualTo(bad.name());
            assertThat(row.reason()).contains("accelerators");
        });
        assertThat(jobs.unreadable(bad.id())).isPresent();
        assertThat(jobs.unreadable(good.id())).isEmpty();
        assertThat(jobs.delete(bad.id())).isTrue();
        assertThat(jobs.unreadable(tag, 0, 10)).isEmpty();
    }

    @Test
    void aValueTooLongForItsColumnIsRefusedDataNamingTheFieldNotAnOutage() {
        String everySecond = java.util.stream.IntStream.range(0, 60).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
        JobDefinition longCron = JobDefinition.builder(unique("long-cron"))
                .schedule(Schedule.cron(everySecond + " " + everySecond + " 0 * * ?", ZoneId.of("UTC"))).build();
        JobDefinition manyChildren = JobDefinition.builder(unique("many-children"))
                .childJobIds(Collections.nCopies(900, 123456L)).build();

        assertThatThrownBy(() -> jobs.insert(longCron)).satisfies(refused -> {
            assertThat(DatabaseFailures.isRefusedData(refused)).as(refused.toString()).isTrue();
            assertThat(DatabaseFailures.isDatabaseFailure(refused)).isFalse();
            assertThat(RefusedData.field(DatabaseFailures.rootMessage(refused))).isEqualTo("schedule.expression");
        });
        assertThatThrownBy(() -> jobs.insert(manyChildren)).satisfies(refused -> {
            assertThat(DatabaseFailures.isRefusedData(refused)).as(refused.toString()).isTrue();
            assertThat(DatabaseFailures.isDatabaseFailure(refused)).isFalse();
            assertThat(RefusedData.field(DatabaseFailures.rootMessage(refused))).isEqualTo("childJobIds");
        });
    }

    @Test
    void updateReplacesTheJobAndBumpsItsVersion() {
        JobDefinition stored = jobs.insert(JobDefinition.builder(unique("etl")).build());
        JobDefinition changed = stored.toBuilder().name(unique("etl-renamed")).schedule(Schedule.fixedRate(30))
                .params("v2").accelerators(AcceleratorRequirement.of("NPU", 1)).build();

        assertThat(jobs.update(changed)).isTrue();

        assertThat(jobs.find(stored.id())).contains(changed);
        assertThat(jdbc.queryForObject("SELECT version FROM job WHERE id = ?", Integer.class, stored.id())).isEqualTo(1);
        assertThat(jobs.update(changed.toBuilder().id(Long.MAX_VALUE).name(unique("ghost")).build())).isFalse();
    }

    @Test
    void jobNamesAreUniqueOnInsertAndOnRename() {
        JobDefinition first = jobs.insert(JobDefinition.builder(unique("report")).build());
        JobDefinition second = jobs.insert(JobDefinition.builder(unique("report")).build());

        assertThatThrownBy(() -> jobs.insert(JobDefinition.builder(first.name()).build()))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining(first.name());
        assertThatThrownBy(() -> jobs.update(second.toBuilder().name(first.name()).build()))
                .isInstanceOf(DuplicateKeyException.class);
        // Names compare case-sensitively on every database.
        assertThat(jobs.insert(JobDefinition.builder(first.name().toUpperCase()).build()).id()).isNotNull();
    }

    @Test
    void setEnabledAndDelete() {
        JobDefinition stored = jobs.insert(JobDefinition.builder(unique("toggle")).build());

        assertThat(jobs.setEnabled(stored.id(), false)).isTrue();
        assertThat(jobs.find(stored.id()).orElseThrow().enabled()).isFalse();
        assertThat(jobs.delete(stored.id())).isTrue();
        assertThat(jobs.find(stored.id())).isEmpty();
        assertThat(jobs.delete(stored.id())).isFalse();
        assertThat(jobs.setEnabled(stored.id(), true)).isFalse();
    }

    @Test
    void listPagesByIdAndFiltersByNameSubstring() {
        String tag = "pg" + SEQUENCE.incrementAndGet() + "x";
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(jobs.insert(JobDefinition.builder("Page_" + tag + "-" + i).build()).id());
        }
        jobs.insert(JobDefinition.builder("other-" + tag.replace("x", "y")).build());

        assertThat(jobs.count(tag)).isEqualTo(5);
        assertThat(jobs.count(tag.toUpperCase())).as("case-insensitive filter").isEqualTo(5);
        assertThat(jobs.list(tag, 0, 2)).extracting(JobDefinition::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(jobs.list(tag, 2, 2)).extracting(JobDefinition::id).containsExactly(ids.get(2), ids.get(3));
        assertThat(jobs.list(tag, 4, 10)).extracting(JobDefinition::id).containsExactly(ids.get(4));
        // '_' and '%' are literal characters, not wildcards.
        assertThat(jobs.count("e_" + tag)).isEqualTo(5);
        assertThat(jobs.count("e%" + tag)).isZero();
        assertThat(jobs.count(null)).isGreaterThanOrEqualTo(6);
    }

    @Test
    void listScheduledHoldsEnabledCronAndFixedRateJobsOnly() {
        JobDefinition cron = jobs.insert(JobDefinition.builder(unique("cron")).schedule(Schedule.cron("0 0 2 * * ?", ZoneId.of("UTC"))).build());
        JobDefinition rate = jobs.insert(JobDefinition.builder(unique("rate")).schedule(Schedule.fixedRate(10)).build());
        JobDefinition manual = jobs.insert(JobDefinition.builder(unique("manual")).build());
        JobDefinition disabled = jobs.insert(JobDefinition.builder(unique("off")).schedule(Schedule.fixedRate(10)).enabled(false).build());

        assertThat(jobs.listScheduled()).extracting(JobDefinition::id)
                .contains(cron.id(), rate.id())
                .doesNotContain(manual.id(), disabled.id());
    }

    // ---- runs ----

    @Test
    void insertAllRecordsRunsWithTheirPendingShards() {
        long jobId = newJob();
        List<NewRun> batch = fires(jobId, TriggerKind.CRON, 0, 50, 3);

        List<JobRun> inserted = runs.insertAll(batch);

        assertThat(inserted).hasSize(50);
        assertThat(inserted).extracting(JobRun::id).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(inserted).extracting(JobRun::scheduledAt).containsExactlyElementsOf(
                batch.stream().map(r -> r.run().scheduledAt().truncatedTo(ChronoUnit.MILLIS)).toList());
        JobRun first = inserted.get(0);
        assertThat(runs.find(first.id())).contains(first);
        assertThat(runs.shards(first.id())).hasSize(3).allSatisfy(shard -> {
            assertThat(shard.status()).isEqualTo(RunStatus.PENDING);
            assertThat(shard.attempt()).isZero();
            assertThat(shard.devices()).isEmpty();
            assertThat(shard.executorId()).isNull();
        }).extracting(ShardRun::shardIndex).containsExactly(0, 1, 2);
        assertThat(countShards(jobId)).isEqualTo(150);
    }

    @Test
    void insertAllSkipsFiresAlreadyRecordedAndDuplicatesWithinTheBatch() {
        long jobId = newJob();
        runs.insertAll(fires(jobId, TriggerKind.CRON, 0, 10, 2));

        List<NewRun> overlapping = new ArrayList<>(fires(jobId, TriggerKind.CRON, 5, 10, 2)); // 5..14: 5 new
        overlapping.addAll(fires(jobId, TriggerKind.CRON, 12, 1, 2));                       // 12 again, in the batch
        overlapping.addAll(fires(jobId, TriggerKind.MANUAL, 0, 1, 1));                      // same time, other trigger

        List<JobRun> inserted = runs.insertAll(overlapping);

        assertThat(inserted).extracting(JobRun::trigger, JobRun::scheduledAt).containsExactly(
                tuple(TriggerKind.CRON, 10), tuple(TriggerKind.CRON, 11), tuple(TriggerKind.CRON, 12),
                tuple(TriggerKind.CRON, 13), tuple(TriggerKind.CRON, 14), tuple(TriggerKind.MANUAL, 0));
        assertThat(runs.count(jobId, null, null, null)).isEqualTo(16);
        assertThat(countShards(jobId)).isEqualTo(15 * 2 + 1);
        assertThat(runs.insertAll(overlapping)).isEmpty();
    }

    @Test
    void aChildRunIsRecordedOncePerParentRunEvenWhenParentsShareTheirFireTime() {
        long childJob = newJob();
        long parentA = runs.insertAll(List.of(new NewRun(run(newJob(), TriggerKind.CRON, at(0), 1), null))).get(0).id();
        long parentB = runs.insertAll(List.of(new NewRun(run(newJob(), TriggerKind.CRON, at(0), 1), null))).get(0).id();

        // Both parents were scheduled at the same instant: their children share (job, scheduled time, kind).
        List<JobRun> children = runs.insertAll(List.of(
                new NewRun(run(childJob, TriggerKind.CHILD, at(0), 1), null, parentA),
                new NewRun(run(childJob, TriggerKind.CHILD, at(0), 1), null, parentB)));
        assertThat(children).as("one child run per parent run").hasSize(2);

        // A parent's completion processed again (a new leader) records nothing more, batched or one by one.
        assertThat(runs.insertAll(List.of(new NewRun(run(childJob, TriggerKind.CHILD, at(0), 1), null, parentA)))).isEmpty();
        assertThat(runs.count(childJob, null, null, null)).isEqualTo(2);
        // A scheduled fire is still recorded once.
        assertThat(runs.insertAll(List.of(new NewRun(run(childJob, TriggerKind.CRON, at(0), 1), null)))).hasSize(1);
        assertThat(runs.insertAll(List.of(new NewRun(run(childJob, TriggerKind.CRON, at(0), 1), null)))).isEmpty();
    }

    @Test
    void insertAllSkipsARepeatedIdempotencyKey() {
        long jobId = newJob();
        String key = "req-" + UUID.randomUUID();
        JobRun first = runs.insertAll(List.of(new NewRun(run(jobId, TriggerKind.API, at(0), 1), key))).get(0);

        List<JobRun> again = runs.insertAll(List.of(
                new NewRun(run(jobId, TriggerKind.API, at(1), 1), key),      // same key, later request
                new NewRun(run(jobId, TriggerKind.API, at(2), 1), "other-" + key),
                new NewRun(run(jobId, TriggerKind.API, at(3), 1), "other-" + key)));

        assertThat(again).extracting(JobRun::scheduledAt).containsExactly(at(2));
        assertThat(runs.findByIdempotencyKey(jobId, key)).contains(first);
        assertThat(runs.findByIdempotencyKey(jobId, "nope")).isEmpty();
        // Keys are per job.
        assertThat(runs.insertAll(List.of(new NewRun(run(newJob(), TriggerKind.API, at(0), 1), key)))).hasSize(1);
    }

    @Test
    void shardsOfReadsTheShardsOfManyRunsAtOnce() {
        long jobId = newJob();
        List<JobRun> inserted = runs.insertAll(List.of(
                new NewRun(run(jobId, TriggerKind.CRON, at(0), 3), null),
                new NewRun(run(jobId, TriggerKind.CRON, at(1), 1), null),
                new NewRun(run(jobId, TriggerKind.CRON, at(2), 0), null),
                new NewRun(run(jobId, TriggerKind.CRON, at(3), 5), null)));
        long three = inserted.get(0).id();
        long one = inserted.get(1).id();
        long none = inserted.get(2).id();
        long five = inserted.get(3).id();
        // Later shards changed first, and with different data, so that order and content both show.
        updateShards(List.of(
                new ShardRun(five, 4, RunStatus.RUNNING, "exec-b", 1, List.of(new DeviceId("GPU", 1)), at(5), null, null, null),
                new ShardRun(three, 2, RunStatus.RUNNING, "exec-a", 1, List.of(), at(4), null, null, null)));
        runs.completeShard(new ShardRun(three, 0, RunStatus.FAILED, "exec-a", 1, List.of(), at(4), at(6), 3, "boom"));

        Map<Long, List<ShardRun>> shards = runs.shardsOf(List.of(five, none, three, one, five, Long.MAX_VALUE));

        assertThat(shards).containsOnlyKeys(three, one, none, five, Long.MAX_VALUE);
        assertThat(shards.get(three)).extracting(ShardRun::shardIndex).containsExactly(0, 1, 2);
        assertThat(shards.get(one)).extracting(ShardRun::shardIndex).containsExactly(0);
        assertThat(shards.get(five)).extracting(ShardRun::shardIndex).containsExactly(0, 1, 2, 3, 4);
        assertThat(shards.get(none)).as("a run without shards").isEmpty();
        assertThat(shards.get(Long.MAX_VALUE)).as("no such run").isEmpty();
        for (long id : List.of(three, one, none, five)) {
            assertThat(shards.get(id)).as("run %d as shards() reads it", id).isEqualTo(runs.shards(id));
        }
        assertThat(runs.shardsOf(List.of())).isEmpty();
    }

    @Test
    void shardsOfSplitsManyRunIdsIntoSeveralQueries() {
        long jobId = newJob();
        int count = MybatisRunStore.RUN_CHUNK * 2 + 1;
        List<NewRun> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new NewRun(run(jobId, TriggerKind.CRON, at(i), i % 4), null));
        }
        List<JobRun> inserted = runs.insertAll(batch);

        Map<Long, List<ShardRun>> shards = runs.shardsOf(inserted.stream().map(JobRun::id).toList());

        assertThat(shards).hasSize(count);
        for (JobRun run : inserted) {
            List<ShardRun> ofRun = shards.get(run.id());
            assertThat(ofRun).as("run %d", run.id()).hasSize(run.shardTotal())
                    .allMatch(shard -> shard.runId() == run.id())
                    .extracting(ShardRun::shardIndex).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void twoAdminsInsertingTheSameFiresAtOnceRecordEachFireOnce() throws Exception {
        long jobId = newJob();
        int fires = 300;
        List<NewRun> forward = fires(jobId, TriggerKind.FIXED_RATE, 0, fires, 2);
        List<NewRun> backward = new ArrayList<>(forward);
        Collections.reverse(backward);

        for (int round = 0; round < 3; round++) {
            long roundJob = round == 0 ? jobId : newJob();
            List<NewRun> a = round == 0 ? forward : fires(roundJob, TriggerKind.FIXED_RATE, 0, fires, 2);
            List<NewRun> b = new ArrayList<>(a);
            if (round != 1) {
                Collections.reverse(b);
            }
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService admins = Executors.newFixedThreadPool(2);
            try {
                Future<List<JobRun>> first = admins.submit(() -> { start.await(); return runs.insertAll(a); });
                Future<List<JobRun>> second = admins.submit(() -> { start.await(); return runs.insertAll(b); });
                List<JobRun> all = new ArrayList<>(first.get(60, TimeUnit.SECONDS));
                all.addAll(second.get(60, TimeUnit.SECONDS));

                assertThat(all).as("round %d: every fire reported inserted exactly once", round).hasSize(fires);
                assertThat(all).extracting(JobRun::scheduledAt).doesNotHaveDuplicates();
                assertThat(runs.count(roundJob, null, null, null)).isEqualTo(fires);
                assertThat(countShards(roundJob)).isEqualTo(fires * 2L);
            } finally {
                admins.shutdownNow();
            }
        }
        assertThat(backward).hasSize(fires);
    }

    @Test
    void largeBatchesAreSplitIntoStatementsAndStillSkipDuplicates() {
        long jobId = newJob();
        int count = MybatisRunStore.RUN_CHUNK * 2 + 1;
        int shards = MybatisRunStore.SHARD_CHUNK / MybatisRunStore.RUN_CHUNK + 1;

        assertThat(runs.insertAll(fires(jobId, TriggerKind.CRON, 0, count, shards))).hasSize(count);
        List<JobRun> again = runs.insertAll(fires(jobId, TriggerKind.CRON, count - 300, 900, shards));

        assertThat(again).hasSize(600).extracting(JobRun::scheduledAt).first().isEqualTo(at(count));
        assertThat(runs.count(jobId, null, null, null)).isEqualTo(count + 600L);
        assertThat(countShards(jobId)).isEqualTo((count + 600L) * shards);
    }

    @Test
    void twoReportsOfOneShardRacingEachOtherRecordOne() throws Exception {
        for (int round = 0; round < 20; round++) {
            JobRun run = runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 1, 1)).get(0);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService reporters = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (RunStatus status : List.of(RunStatus.SUCCEEDED, RunStatus.FAILED)) {
                    results.add(reporters.submit(() -> {
                        start.await();
                        return runs.completeShard(new ShardRun(run.id(), 0, status, "exec", 1, List.of(), null, at(1), 0, null));
                    }));
                }
                assertThat(List.of(results.get(0).get(30, TimeUnit.SECONDS), results.get(1).get(30, TimeUnit.SECONDS)))
                        .containsExactlyInAnyOrder(true, false);
            } finally {
                reporters.shutdownNow();
            }
        }
    }

    @Test
    void updateShardsAppliesABatch() {
        long jobId = newJob();
        List<JobRun> inserted = runs.insertAll(fires(jobId, TriggerKind.CRON, 0, 40, 5));
        Instant started = T0.plusSeconds(60);
        List<ShardRun> changes = new ArrayList<>();
        for (JobRun run : inserted) {
            for (int shard = 0; shard < 5; shard++) {
                changes.add(new ShardRun(run.id(), shard, RunStatus.RUNNING, "exec-" + shard, 1,
                        List.of(new DeviceId("GPU", shard), new DeviceId("GPU", shard + 8)), started, null, null, null));
            }
        }

        updateShards(changes);

        JobRun last = inserted.get(inserted.size() - 1);
        assertThat(runs.shards(last.id())).hasSize(5).allSatisfy(shard -> {
            assertThat(shard.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(shard.executorId()).isEqualTo("exec-" + shard.shardIndex());
            assertThat(shard.devices()).containsExactly(new DeviceId("GPU", shard.shardIndex()),
                    new DeviceId("GPU", shard.shardIndex() + 8));
            assertThat(shard.startedAt()).isEqualTo(started.truncatedTo(ChronoUnit.MILLIS));
            assertThat(shard.attempt()).isEqualTo(1);
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM shard_run s JOIN job_run r ON r.id = s.run_id"
                + " WHERE r.job_id = ? AND s.status = 'RUNNING'", Long.class, jobId)).isEqualTo(200);
    }

    @Test
    void completeShardRecordsAResultOncePerAttempt() {
        JobRun run = runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 1, 1)).get(0);
        ShardRun placed = new ShardRun(run.id(), 0, RunStatus.RUNNING, "exec-a", 1, List.of(new DeviceId("GPU", 3)),
                at(1), null, null, null);
        updateShards(List.of(placed));

        ShardRun failed = new ShardRun(run.id(), 0, RunStatus.FAILED, "exec-a", 1, List.of(), null, at(5), 2, "boom");
        assertThat(runs.completeShard(failed)).isTrue();
        assertThat(runs.completeShard(failed)).as("the same report twice").isFalse();
        assertThat(runs.completeShard(new ShardRun(run.id(), 0, RunStatus.SUCCEEDED, "exec-a", 1, List.of(), null,
                at(6), 0, "late"))).as("another final result for the same attempt").isFalse();

        ShardRun stored = runs.shards(run.id()).get(0);
        assertThat(stored.status()).isEqualTo(RunStatus.FAILED);
        assertThat(stored.exitCode()).isEqualTo(2);
        assertThat(stored.message()).isEqualTo("boom");
        assertThat(stored.devices()).as("kept from placement").containsExactly(new DeviceId("GPU", 3));
        assertThat(stored.startedAt()).isEqualTo(at(1));

        ShardRun retried = new ShardRun(run.id(), 0, RunStatus.SUCCEEDED, "exec-b", 2, List.of(new DeviceId("GPU", 0)),
                at(7), at(9), 0, null);
        assertThat(runs.completeShard(retried)).as("a later attempt").isTrue();
        assertThat(runs.completeShard(failed)).as("an older attempt's report").isFalse();
        assertThat(runs.shards(run.id()).get(0)).isEqualTo(retried);
    }

    @Test
    void updateShardsNeverOverwritesAFinalResultOfTheSameOrALaterAttempt() {
        JobRun run = runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 1, 2)).get(0);
        // The executor was quicker than the engine's "RUNNING" update for attempt 1.
        ShardRun done = new ShardRun(run.id(), 0, RunStatus.SUCCEEDED, "exec-a", 1, List.of(), at(1), at(2), 0, "ok");
        assertThat(runs.completeShard(done)).isTrue();

        updateShards(List.of(
                new ShardRun(run.id(), 0, RunStatus.RUNNING, "exec-a", 1, List.of(), at(1), null, null, null),
                new ShardRun(run.id(), 1, RunStatus.RUNNING, "exec-b", 1, List.of(), at(1), null, null, null)));

        assertThat(runs.shards(run.id())).extracting(ShardRun::status).containsExactly(RunStatus.SUCCEEDED, RunStatus.RUNNING);
        updateShards(List.of(new ShardRun(run.id(), 0, RunStatus.PENDING, null, 2, List.of(), null, null, null, "re-run")));
        assertThat(runs.shards(run.id()).get(0).status()).as("a later attempt may").isEqualTo(RunStatus.PENDING);
    }

    @Test
    void completeShardsRecordsABatchInOneGoAndSaysWhichWereNew() {
        JobRun run = runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 1, 3)).get(0);
        ShardRun first = new ShardRun(run.id(), 0, RunStatus.SUCCEEDED, "exec-a", 1, List.of(), at(1), at(2), null, "");
        assertThat(runs.completeShard(first)).isTrue();
        List<ShardRun> batch = List.of(first,
                new ShardRun(run.id(), 1, RunStatus.FAILED, "exec-a", 1, List.of(), at(1), at(3), 1, "boom"),
                new ShardRun(run.id(), 2, RunStatus.SUCCEEDED, "exec-b", 1, List.of(), at(1), at(4), 0, "ok"),
                new ShardRun(run.id(), 9, RunStatus.SUCCEEDED, "exec-b", 1, List.of(), at(1), at(4), 0, "no such shard"));
        List<Boolean> stored = runs.completeShards(batch);
        assertThat(stored).hasSize(4);
        assertThat(stored.subList(1, 3)).as("new results").containsOnly(true);
        assertThat(runs.shards(run.id())).extracting(ShardRun::status, ShardRun::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RunStatus.SUCCEEDED, ""),
                        org.assertj.core.groups.Tuple.tuple(RunStatus.FAILED, "boom"),
                        org.assertj.core.groups.Tuple.tuple(RunStatus.SUCCEEDED, "ok"));
        runs.completeShards(List.of(new ShardRun(run.id(), 1, RunStatus.SUCCEEDED, "exec-c", 1, List.of(), at(1), at(9), 0,
                "a second final result of attempt 1")));
        assertThat(runs.shards(run.id()).get(1).message()).as("the first result of an attempt stays").isEqualTo("boom");
        assertThat(runs.completeShards(List.of())).isEmpty();
    }

    @Test
    void applyWritesRunAndShardChangesInOrderInOneTransaction() {
        JobRun run = runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 1, 2)).get(0);
        runs.apply(List.of(
                new RunChange.ShardUpdate(new ShardRun(run.id(), 0, RunStatus.RUNNING, "exec-a", 1, List.of(new DeviceId("GPU", 1)),
                        at(1), null, null, "")),
                new RunChange.RunUpdate(run.id(), RunStatus.RUNNING, 1, at(1), null, ""),
                new RunChange.ShardResult(new ShardRun(run.id(), 0, RunStatus.SUCCEEDED, "exec-a", 1, List.of(), at(1), at(2), 0, "ok")),
                new RunChange.ShardUpdate(new ShardRun(run.id(), 0, RunStatus.RUNNING, "exec-a", 1, List.of(), at(1), null, null,
                        "a late placement update changes no result")),
                new RunChange.ShardResult(new ShardRun(run.id(), 1, RunStatus.SUCCEEDED, "exec-b", 1, List.of(), at(1), at(3), 0, "ok")),
                new RunChange.RunUpdate(run.id(), RunStatus.SUCCEEDED, 1, null, at(3), "2 SUCCEEDED")));
        JobRun stored = runs.find(run.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored.startedAt()).isEqualTo(at(1));
        assertThat(runs.shards(run.id())).extracting(ShardRun::status, ShardRun::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RunStatus.SUCCEEDED, "ok"),
                        org.assertj.core.groups.Tuple.tuple(RunStatus.SUCCEEDED, "ok"));
        assertThat(runs.shards(run.id()).get(0).devices()).as("kept from placement").containsExactly(new DeviceId("GPU", 1));
    }

    @Test
    void applyIsAllOrNothing() {
        JobRun run = runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 1, 1)).get(0);
        List<RunChange> changes = List.of(
                new RunChange.RunUpdate(run.id(), RunStatus.RUNNING, 1, at(1), null, ""),
                new RunChange.ShardUpdate(new ShardRun(run.id(), 0, RunStatus.RUNNING, "x".repeat(300), 1, List.of(), at(1),
                        null, null, "an executor id longer than its column")));
        assertThatThrownBy(() -> runs.apply(changes)).isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        assertThat(runs.find(run.id()).orElseThrow().status()).as("rolled back with the bad row").isEqualTo(RunStatus.PENDING);
    }

    @Test
    void lastScheduledFiresAndStatesReadManyAtOnce() {
        long busy = newJob();
        long idle = newJob();
        List<JobRun> fired = runs.insertAll(fires(busy, TriggerKind.CRON, 0, 3, 1));
        runs.insertAll(fires(busy, TriggerKind.MANUAL, 100, 1, 1));
        assertThat(runs.lastScheduledFires(List.of(busy, idle))).isEqualTo(Map.of(busy, at(2)));
        assertThat(runs.lastScheduledFires(List.of())).isEmpty();

        runs.updateRun(fired.get(0).id(), RunStatus.SUCCEEDED, 1, at(0), at(5), "ok");
        Map<Long, RunStore.RunState> states = runs.states(List.of(fired.get(0).id(), fired.get(1).id(), Long.MAX_VALUE));
        assertThat(states).hasSize(2);
        assertThat(states.get(fired.get(0).id())).isEqualTo(new RunStore.RunState(RunStatus.SUCCEEDED, at(5)));
        assertThat(states.get(fired.get(1).id())).isEqualTo(new RunStore.RunState(RunStatus.PENDING, null));
    }

    @Test
    void updateRunListOpenAndLastScheduledFire() {
        long jobId = newJob();
        List<JobRun> inserted = runs.insertAll(fires(jobId, TriggerKind.CRON, 0, 4, 1));
        runs.insertAll(fires(jobId, TriggerKind.MANUAL, 100, 1, 1));
        runs.updateRun(inserted.get(0).id(), RunStatus.SUCCEEDED, 1, at(0), at(2), "ok");
        runs.updateRun(inserted.get(1).id(), RunStatus.RUNNING, 1, at(1), null, null);
        runs.updateRun(inserted.get(2).id(), RunStatus.WAITING, 1, null, null, "no GPU free");

        JobRun done = runs.find(inserted.get(0).id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.startedAt()).isEqualTo(at(0));
        assertThat(done.finishedAt()).isEqualTo(at(2));
        assertThat(done.message()).isEqualTo("ok");
        runs.updateRun(inserted.get(0).id(), RunStatus.SUCCEEDED, 1, null, at(3), "ok");
        assertThat(runs.find(inserted.get(0).id()).orElseThrow().startedAt()).as("null keeps it").isEqualTo(at(0));

        List<JobRun> open = runs.listOpen().stream().filter(r -> r.jobId() == jobId).toList();
        assertThat(open).extracting(JobRun::id).containsExactly(inserted.get(1).id(), inserted.get(2).id(),
                inserted.get(3).id(), runs.list(jobId, null, null, null, 0, 1).get(0).id());

        assertThat(runs.lastScheduledFire(jobId)).as("manual fires do not count").contains(at(3));
        assertThat(runs.lastScheduledFire(newJob())).isEmpty();
    }

    @Test
    void listPagesNewestFirstWithFilters() {
        long jobId = newJob();
        List<JobRun> inserted = runs.insertAll(fires(jobId, TriggerKind.CRON, 0, 25, 1));
        runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 5, 1));
        for (int i = 0; i < 25; i += 5) {
            runs.updateRun(inserted.get(i).id(), RunStatus.FAILED, 1, null, at(i), "x");
        }

        assertThat(runs.list(jobId, null, null, null, 0, 3)).extracting(JobRun::scheduledAt)
                .containsExactly(at(24), at(23), at(22));
        assertThat(runs.list(jobId, null, null, null, 23, 10)).extracting(JobRun::scheduledAt)
                .containsExactly(at(1), at(0));
        assertThat(runs.list(jobId, RunStatus.FAILED, null, null, 0, 10)).extracting(JobRun::scheduledAt)
                .containsExactly(at(20), at(15), at(10), at(5), at(0));
        assertThat(runs.count(jobId, RunStatus.FAILED, null, null)).isEqualTo(5);
        assertThat(runs.list(jobId, null, at(10), at(13), 0, 10)).as("from inclusive, to exclusive")
                .extracting(JobRun::scheduledAt).containsExactly(at(12), at(11), at(10));
        assertThat(runs.count(jobId, RunStatus.PENDING, at(10), null)).isEqualTo(12);
        assertThat(runs.count(null, null, null, null)).isGreaterThanOrEqualTo(30);
        assertThat(runs.list(jobId, RunStatus.PENDING, at(10), null, 0, 3)).as("job, status and time together")
                .extracting(JobRun::scheduledAt).containsExactly(at(24), at(23), at(22));
    }

    @Test
    void countUpToStopsAtTheCap() {
        long jobId = newJob();
        List<JobRun> inserted = runs.insertAll(fires(jobId, TriggerKind.CRON, 0, 12, 1));
        runs.updateRun(inserted.get(3).id(), RunStatus.FAILED, 1, null, at(3), "x");
        assertThat(runs.countUpTo(jobId, null, null, null, 5)).isEqualTo(5);
        assertThat(runs.countUpTo(jobId, null, null, null, 100)).isEqualTo(12);
        assertThat(runs.countUpTo(jobId, RunStatus.FAILED, null, null, 100)).isEqualTo(1);
        assertThat(runs.countUpTo(jobId, null, at(10), at(11), 100)).isEqualTo(1);
        assertThat(runs.countUpTo(null, null, null, null, 3)).isEqualTo(3);
        assertThatThrownBy(() -> runs.countUpTo(jobId, null, null, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countByStatusSinceGroupsTheRunsScheduledFromThatTimeOn() {
        // Far from other tests' runs; what other tests add later than this is taken out as "before".
        Instant since = Instant.parse("2700-01-01T00:00:00Z");
        List<Instant> froms = List.of(since, since.plusSeconds(3), since.plusSeconds(5));
        List<Map<RunStatus, Long>> before = froms.stream().map(runs::countByStatusSince).toList();
        long jobId = newJob();
        List<JobRun> inserted = runs.insertAll(List.of(
                new NewRun(run(jobId, TriggerKind.API, since.minusMillis(1), 1), null),   // before: not counted
                new NewRun(run(jobId, TriggerKind.API, since, 1), null),                  // from is inclusive
                new NewRun(run(jobId, TriggerKind.API, since.plusSeconds(1), 1), null),
                new NewRun(run(jobId, TriggerKind.API, since.plusSeconds(2), 1), null),
                new NewRun(run(jobId, TriggerKind.API, since.plusSeconds(3), 1), null),
                new NewRun(run(newJob(), TriggerKind.API, since.plusSeconds(4), 1), null)));
        runs.updateRun(inserted.get(0).id(), RunStatus.FAILED, 1, null, since, "old");
        runs.updateRun(inserted.get(1).id(), RunStatus.SUCCEEDED, 1, null, since, "ok");
        runs.updateRun(inserted.get(2).id(), RunStatus.SUCCEEDED, 1, null, since, "ok");
        runs.updateRun(inserted.get(3).id(), RunStatus.FAILED, 1, null, since, "boom");
        runs.updateRun(inserted.get(4).id(), RunStatus.RUNNING, 1, since, null, null);

        assertThat(added(before.get(0), runs.countByStatusSince(froms.get(0)))).isEqualTo(Map.of(
                RunStatus.SUCCEEDED, 2L, RunStatus.FAILED, 1L, RunStatus.RUNNING, 1L, RunStatus.PENDING, 1L));
        assertThat(added(before.get(1), runs.countByStatusSince(froms.get(1)))).isEqualTo(Map.of(
                RunStatus.RUNNING, 1L, RunStatus.PENDING, 1L));
        assertThat(added(before.get(2), runs.countByStatusSince(froms.get(2)))).isEmpty();
        assertThat(runs.countByStatusSince(since.minusSeconds(1)).values()).as("no zero counts").allMatch(n -> n > 0);
    }

    /** The counts that grew from {@code before} to {@code after}, by how much. */
    private static Map<RunStatus, Long> added(Map<RunStatus, Long> before, Map<RunStatus, Long> after) {
        Map<RunStatus, Long> added = new java.util.EnumMap<>(RunStatus.class);
        after.forEach((status, count) -> {
            long grown = count - before.getOrDefault(status, 0L);
            if (grown != 0) {
                added.put(status, grown);
            }
        });
        return added;
    }

    @Test
    void listNewestAndOldestTakeTheEndsOfSeveralStatusesWithALimit() {
        // Earlier and later than anything other tests write, so these runs are the ends.
        Instant early = Instant.parse("1990-01-01T00:00:00Z");
        Instant late = Instant.parse("2800-01-01T00:00:00Z");
        long jobId = newJob();
        List<NewRun> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(new NewRun(run(jobId, TriggerKind.API, early.plusSeconds(i), 1), null));
            batch.add(new NewRun(run(jobId, TriggerKind.API, late.plusSeconds(i), 1), null));
        }
        List<JobRun> inserted = runs.insertAll(batch);
        List<Long> early6 = new ArrayList<>();
        List<Long> late6 = new ArrayList<>();
        for (JobRun run : inserted) {
            (run.scheduledAt().isBefore(late) ? early6 : late6).add(run.id());
        }
        // early: 0 PENDING, 1 WAITING, 2 PENDING, 3 RUNNING, 4 WAITING, 5 PENDING
        runs.updateRun(early6.get(1), RunStatus.WAITING, 1, null, null, "no GPU free");
        runs.updateRun(early6.get(3), RunStatus.RUNNING, 1, early, null, null);
        runs.updateRun(early6.get(4), RunStatus.WAITING, 1, null, null, "no GPU free");
        // late: 0 FAILED, 1 TIMED_OUT, 2 SUCCEEDED, 3 FAILED, 4 CANCELLED, 5 TIMED_OUT
        RunStatus[] ends = {RunStatus.FAILED, RunStatus.TIMED_OUT, RunStatus.SUCCEEDED, RunStatus.FAILED,
                RunStatus.CANCELLED, RunStatus.TIMED_OUT};
        for (int i = 0; i < ends.length; i++) {
            runs.updateRun(late6.get(i), ends[i], 1, late, late.plusSeconds(i), "end " + i);
        }

        assertThat(runs.listOldest(java.util.Set.of(RunStatus.PENDING, RunStatus.WAITING), 4)).extracting(JobRun::id)
                .containsExactly(early6.get(0), early6.get(1), early6.get(2), early6.get(4));
        assertThat(runs.listNewest(java.util.Set.of(RunStatus.FAILED, RunStatus.TIMED_OUT), 3)).extracting(JobRun::id)
                .containsExactly(late6.get(5), late6.get(3), late6.get(1));
        assertThat(runs.listNewest(java.util.Set.of(RunStatus.TIMED_OUT), 10)).extracting(JobRun::id)
                .startsWith(late6.get(5), late6.get(1));
        assertThat(runs.listNewest(java.util.Set.of(RunStatus.FAILED), 0)).isEmpty();
        assertThat(runs.listOldest(java.util.Set.of(), 10)).isEmpty();
        assertThatThrownBy(() -> runs.listNewest(java.util.Set.of(RunStatus.FAILED), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestampsAreStoredAsUtcMilliseconds() {
        JobRun run = runs.insertAll(fires(newJob(), TriggerKind.CRON, 0, 1, 1)).get(0);

        assertThat(run.scheduledAt()).isEqualTo(Instant.parse("2026-03-29T00:59:58.123Z"));
        LocalDateTime raw = jdbc.queryForObject("SELECT scheduled_at FROM job_run WHERE id = ?",
                (rs, n) -> rs.getObject(1, LocalDateTime.class), run.id());
        assertThat(raw).isEqualTo(LocalDateTime.of(2026, 3, 29, 0, 59, 58, 123_000_000));
        assertThat(run.createdAt()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        assertThat(LocalDateTime.ofInstant(run.scheduledAt(), ZoneOffset.UTC)).isEqualTo(raw);
    }

    // ---- users, tokens, audit ----

    @Test
    void usersAreStoredUpdatedAndUnique() {
        User alice = users.insert(User.create(unique("alice"), "{bcrypt}$2a$10$hash", Role.OPERATOR));

        assertThat(alice.id()).isNotNull();
        assertThat(users.findByName(alice.name())).contains(alice);
        assertThatThrownBy(() -> users.insert(User.create(alice.name(), "{noop}x", Role.VIEWER)))
                .isInstanceOf(DuplicateKeyException.class);

        User demoted = new User(alice.id(), alice.name(), "{bcrypt}$2a$10$other", Role.VIEWER, false, null, null);
        assertThat(users.update(demoted)).isTrue();
        User stored = users.find(alice.id()).orElseThrow();
        assertThat(stored.role()).isEqualTo(Role.VIEWER);
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.passwordHash()).isEqualTo("{bcrypt}$2a$10$other");
        assertThat(users.list()).extracting(User::name).contains(alice.name());
        assertThat(users.count()).isPositive();
        assertThat(users.delete(alice.id())).isTrue();
        assertThat(users.findByName(alice.name())).isEmpty();
    }

    @Test
    void tokensAreKeptAsHashesOnly() {
        String token = ApiTokenStore.generate();
        ApiTokenStore.ApiToken created = tokens.create(unique("ci"), token, Role.OPERATOR, "alice");

        assertThat(tokens.findActive(token)).contains(created);
        assertThat(tokens.findActive(token + "x")).isEmpty();
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM api_token WHERE id = ?", created.id());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).values()).noneMatch(value -> value != null && value.toString().contains(token));
        assertThat(rows.get(0).get("token_hash")).isEqualTo(ApiTokenStore.hash(token));
        assertThatThrownBy(() -> tokens.create(unique("again"), token, Role.VIEWER, "bob"))
                .isInstanceOf(DuplicateKeyException.class);

        tokens.touch(created.id(), at(10));
        assertThat(tokens.find(created.id()).orElseThrow().lastUsedAt()).isEqualTo(at(10));

        assertThat(tokens.revoke(created.id())).isTrue();
        assertThat(tokens.revoke(created.id())).isFalse();
        assertThat(tokens.findActive(token)).isEmpty();
        assertThat(tokens.find(created.id()).orElseThrow().revoked()).isTrue();
        assertThat(tokens.list()).extracting(ApiTokenStore.ApiToken::id).contains(created.id());
    }

    @Test
    void revokeByNameRevokesEveryActiveTokenOfThatName() {
        String name = unique("deploy");
        tokens.create(name, ApiTokenStore.generate(), Role.ADMIN, "root");
        tokens.create(name, ApiTokenStore.generate(), Role.ADMIN, "root");

        assertThat(tokens.revokeByName(name)).isEqualTo(2);
        assertThat(tokens.revokeByName(name)).isZero();
    }

    @Test
    void auditIsAppendedAndListedNewestFirst() {
        String actor = unique("auditor");
        Instant base = Instant.now().plus(3650, ChronoUnit.DAYS); // newer than anything other tests write
        for (int i = 0; i < 5; i++) {
            audit.append(new AuditEntry(null, base.plusSeconds(i), actor, "job.update", "job:" + i, "{\"i\":" + i + "}"));
        }

        List<AuditEntry> page = audit.list(0, 3);
        assertThat(page).extracting(AuditEntry::target).containsExactly("job:4", "job:3", "job:2");
        assertThat(page.get(0).id()).isNotNull();
        assertThat(page.get(0).actor()).isEqualTo(actor);
        assertThat(page.get(0).at()).isEqualTo(base.plusSeconds(4).truncatedTo(ChronoUnit.MILLIS));
        assertThat(audit.list(3, 2)).extracting(AuditEntry::target).containsExactly("job:1", "job:0");
    }

    // ---- helpers ----

    /** Shard updates as the engine's writer sends them. */
    private void updateShards(java.util.Collection<ShardRun> shards) {
        runs.apply(shards.stream().<RunChange>map(RunChange.ShardUpdate::new).toList());
    }

    @Test
    void preemptionsAreKeptOncePerAttemptAndReadOldestFirst() {
        long runId = runs.insertAll(List.of(new NewRun(run(newJob(), TriggerKind.API, at(0), 2), null))).get(0).id();
        long other = runs.insertAll(List.of(new NewRun(run(newJob(), TriggerKind.API, at(1), 1), null))).get(0).id();
        io.tessera.admin.store.RunChange.Preempted first = new io.tessera.admin.store.RunChange.Preempted(runId, 1, 1, other,
                "urgent", "preempted by run " + other, at(10));
        io.tessera.admin.store.RunChange.Preempted second = new io.tessera.admin.store.RunChange.Preempted(runId, 1, 2, other,
                "urgent", "again", at(20));

        runs.apply(List.of(second, first));
        runs.apply(List.of(new io.tessera.admin.store.RunChange.Preempted(runId, 1, 1, 0, "someone else", "a repeat", at(30))));

        assertThat(runs.preemptionsOf(List.of(runId, other))).containsOnlyKeys(runId);
        assertThat(runs.preemptionsOf(List.of(runId)).get(runId)).containsExactly(first, second);
        assertThat(runs.preemptionsOf(List.of())).isEmpty();
    }

    private long newJob() {
        return jobs.insert(JobDefinition.builder(unique("job")).schedule(Schedule.of(ScheduleType.FIXED_RATE, "1", "UTC"))
                .build()).id();
    }

    private long countShards(long jobId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM shard_run s JOIN job_run r ON r.id = s.run_id WHERE r.job_id = ?",
                Long.class, jobId);
    }

    private static List<NewRun> fires(long jobId, TriggerKind trigger, int from, int count, int shards) {
        List<NewRun> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            batch.add(new NewRun(run(jobId, trigger, T0.plusSeconds(i), shards), null));
        }
        return batch;
    }

    private static JobRun run(long jobId, TriggerKind trigger, Instant scheduledAt, int shards) {
        return new JobRun(null, jobId, trigger, scheduledAt, RunStatus.PENDING, "p", shards, 1, null, null, null, null);
    }

    /** The stored form of T0 + seconds. */
    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS);
    }

    private static org.assertj.core.groups.Tuple tuple(TriggerKind trigger, int seconds) {
        return org.assertj.core.groups.Tuple.tuple(trigger, at(seconds));
    }

    private static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
