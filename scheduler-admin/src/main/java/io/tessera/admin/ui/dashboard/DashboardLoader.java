package io.tessera.admin.ui.dashboard;

import com.vaadin.flow.spring.annotation.SpringComponent;
import io.tessera.admin.engine.QueueUsage;
import io.tessera.admin.engine.SchedulingEngine;
import io.tessera.admin.overview.ClusterOverview;
import io.tessera.admin.overview.DeviceCount;
import io.tessera.admin.overview.DeviceUsageSampler;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.placement.QueueQuota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads what the dashboard shows: a handful of bounded queries, one status request per executor and,
 * when quota queues are configured, one question to the leader's engine.
 */
@SpringComponent
public class DashboardLoader {

    private static final Logger log = LoggerFactory.getLogger(DashboardLoader.class);

    static final Duration RUN_WINDOW = Duration.ofHours(24);
    static final int LIST_LIMIT = 10;
    static final Set<RunStatus> WAITING = EnumSet.of(RunStatus.PENDING, RunStatus.WAITING);
    static final Set<RunStatus> FAILED = EnumSet.of(RunStatus.FAILED, RunStatus.TIMED_OUT);
    static final Duration QUOTA_COUNT_WAIT = Duration.ofSeconds(2);
    static final String COUNTED_BY_THE_LEADER = "In use: counted by the leader (this admin does not lead)";

    private final ClusterOverview overview;
    private final DeviceUsageSampler sampler;
    private final RunStore runs;
    private final JobStore jobs;
    private final SchedulingEngine engine;
    private final Clock clock = Clock.systemUTC();

    public DashboardLoader(ClusterOverview overview, DeviceUsageSampler sampler, RunStore runs, JobStore jobs,
                           SchedulingEngine engine) {
        this.overview = overview;
        this.sampler = sampler;
        this.runs = runs;
        this.jobs = jobs;
        this.engine = engine;
    }

    public DashboardSnapshot load() {
        Instant now = clock.instant();
        List<ClusterOverview.ExecutorState> executors = overview.executors();
        Map<Long, String> jobNames = new HashMap<>();
        return new DashboardSnapshot(now, overview.admins(), executors, DeviceCount.byModel(executors),
                runs.countByStatusSince(now.minus(RUN_WINDOW)), sampler.samples(),
                lines(runs.listOldest(WAITING, LIST_LIMIT), jobNames),
                lines(runs.listNewest(FAILED, LIST_LIMIT), jobNames), quotas());
    }

    /**
     * The configured quota queues with what each uses, as the leader's engine counts it; only the
     * limits, and why, where this admin does not lead or its engine does not answer in time.
     */
    DashboardSnapshot.Quotas quotas() {
        return quotas(engine.quotas(), engine::quotaUsage);
    }

    /** {@link #quotas()} from these configured quotas and this way of asking the engine to count (asked only when there are quotas). */
    static DashboardSnapshot.Quotas quotas(List<QueueQuota> configured, Supplier<CompletableFuture<Optional<List<QueueUsage>>>> counting) {
        if (configured.isEmpty()) {
            return DashboardSnapshot.Quotas.NONE;
        }
        Optional<List<QueueUsage>> counted;
        try {
            counted = counting.get().get(QUOTA_COUNT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("The engine did not count the quota queues' use within {}", QUOTA_COUNT_WAIT);
            return uncounted(configured, "In use: not shown, the engine did not count it within "
                    + QUOTA_COUNT_WAIT.toSeconds() + " s");
        } catch (ExecutionException | CancellationException e) {
            log.warn("Counting the quota queues' use failed", e);
            return uncounted(configured, "In use: not shown, counting failed (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return uncounted(configured, "In use: not shown, interrupted while counting");
        }
        return counted.map(usage -> new DashboardSnapshot.Quotas(QuotaRow.counted(usage), null))
                .orElseGet(() -> uncounted(configured, COUNTED_BY_THE_LEADER));
    }

    private static DashboardSnapshot.Quotas uncounted(List<QueueQuota> configured, String why) {
        return new DashboardSnapshot.Quotas(QuotaRow.configured(configured), why);
    }

    private List<DashboardSnapshot.RunLine> lines(List<JobRun> list, Map<Long, String> jobNames) {
        return list.stream().map(run -> new DashboardSnapshot.RunLine(run, jobNames.computeIfAbsent(run.jobId(),
                id -> jobs.find(id).map(JobDefinition::name).orElse("job " + id + " (deleted)")))).toList();
    }
}
