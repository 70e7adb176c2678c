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
 * @param quotas      the quota queues' limits, with their use where the leader counted it
 */
record DashboardSnapshot(Instant at, ClusterOverview.Admins admins, List<ClusterOverview.ExecutorState> executors,
                         List<DeviceCount> devices, Map<RunStatus, Long> recentRuns,
                         List<DeviceUsageSampler.Sample> usage, List<RunLine> waiting, List<RunLine> failures,
                         Quotas quotas) {

    /** A run with its job's name, as the dashboard's lists show it. */
    record RunLine(JobRun run, String jobName) {
    }

    /**
     * The quota queues, one row per limit; none when no queue is configured.
     *
     * @param notCounted why the rows carry no use (this admin does not lead, or the engine did not
     *                   answer); null when the leader counted them
     */
    record Quotas(List<QuotaRow> rows, String notCounted) {

        static final Quotas NONE = new Quotas(List.of(), null);

        Quotas {
            rows = List.copyOf(rows);
        }
    }
}
