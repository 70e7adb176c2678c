package io.tessera.admin.ui.dashboard;

import com.vaadin.flow.spring.annotation.SpringComponent;
import io.tessera.admin.overview.ClusterOverview;
import io.tessera.admin.overview.DeviceCount;
import io.tessera.admin.overview.DeviceUsageSampler;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads what the dashboard shows: a handful of bounded queries and one status request per executor. */
@SpringComponent
public class DashboardLoader {

    static final Duration RUN_WINDOW = Duration.ofHours(24);
    static final int LIST_LIMIT = 10;
    static final Set<RunStatus> WAITING = EnumSet.of(RunStatus.PENDING, RunStatus.WAITING);
    static final Set<RunStatus> FAILED = EnumSet.of(RunStatus.FAILED, RunStatus.TIMED_OUT);

    private final ClusterOverview overview;
    private final DeviceUsageSampler sampler;
    private final RunStore runs;
    private final JobStore jobs;
    private final Clock clock = Clock.systemUTC();

    public DashboardLoader(ClusterOverview overview, DeviceUsageSampler sampler, RunStore runs, JobStore jobs) {
        this.overview = overview;
        this.sampler = sampler;
        this.runs = runs;
        this.jobs = jobs;
    }

    public DashboardSnapshot load() {
        Instant now = clock.instant();
        List<ClusterOverview.ExecutorState> executors = overview.executors();
        Map<Long, String> jobNames = new HashMap<>();
        return new DashboardSnapshot(now, overview.admins(), executors, DeviceCount.byModel(executors),
                runs.countByStatusSince(now.minus(RUN_WINDOW)), sampler.samples(),
                lines(runs.listOldest(WAITING, LIST_LIMIT), jobNames),
                lines(runs.listNewest(FAILED, LIST_LIMIT), jobNames));
    }

    private List<DashboardSnapshot.RunLine> lines(List<JobRun> list, Map<Long, String> jobNames) {
        return list.stream().map(run -> new DashboardSnapshot.RunLine(run, jobNames.computeIfAbsent(run.jobId(),
                id -> jobs.find(id).map(JobDefinition::name).orElse("job " + id + " (deleted)")))).toList();
    }
}
