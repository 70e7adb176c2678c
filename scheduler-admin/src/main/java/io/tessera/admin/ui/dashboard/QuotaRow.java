package io.tessera.admin.ui.dashboard;

import io.tessera.admin.engine.QueueUsage;
import io.tessera.core.placement.QueueQuota;

import java.util.Comparator;
import java.util.List;

/**
 * One limit of a quota queue as the dashboard lists it.
 *
 * @param devices  the limit's kind and model glob ({@code GPU *H100*})
 * @param inUse    devices of the limit the queue's running shards hold, as the leader counts them;
 *                 null where this admin does not lead and so did not count
 * @param borrowed devices in use beyond the quota; null where not counted
 */
record QuotaRow(String queue, boolean borrowing, String devices, int quota, Integer inUse, Integer borrowed) {

    boolean counted() {
        return inUse != null;
    }

    /** The rows of the leader's count, queue by queue as the engine lists them. */
    static List<QuotaRow> counted(List<QueueUsage> usage) {
        return usage.stream().flatMap(queue -> queue.limits().stream().map(limit -> new QuotaRow(queue.queue(), queue.borrowing(),
                label(limit.kind(), limit.model()), limit.quota(), limit.inUse(), limit.borrowed()))).toList();
    }

    /** The rows of the configured quotas alone, by queue name: what an admin that does not lead knows. */
    static List<QuotaRow> configured(List<QueueQuota> quotas) {
        return quotas.stream().sorted(Comparator.comparing(QueueQuota::queue)).flatMap(quota -> quota.limits().stream()
                .map(limit -> new QuotaRow(quota.queue(), quota.borrowing(), limit.label(), limit.devices(), null, null))).toList();
    }

    private static String label(String kind, String model) {
        return model == null ? kind : kind + " " + model;
    }
}
