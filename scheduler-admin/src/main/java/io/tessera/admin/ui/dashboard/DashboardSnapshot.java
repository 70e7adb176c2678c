package io.tessera.admin.ui.dashboard;

import io.tessera.admin.overview.ClusterOverview;
import io.tessera.admin.overview.DeviceCount;
import io.tessera.admin.overview.DeviceUsageSampler;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the dashboard shows, loaded at one moment (without the UI's lock held).
 *
 * @param devices     per kind and model
 * @param recentRuns  runs of the last {@link DashboardLoader#RUN_WINDOW} by status
 * @param usage       device samples, oldest first
 * @param waiting     open runs that wait longest, oldest first
 * @param failures    the latest failed or timed-out runs, newest first
 */
record DashboardSnapshot(Instant at, ClusterOverview.Admins admins, List<ClusterOverview.ExecutorState> executors,
                         List<DeviceCount> devices, Map<RunStatus, Long> recentRuns,
                         List<DeviceUsageSampler.Sample> usage, List<RunLine> waiting, List<RunLine> failures) {

    /** A run with its job's name, as the dashboard's lists show it. */
    record RunLine(JobRun run, String jobName) {
    }
}
