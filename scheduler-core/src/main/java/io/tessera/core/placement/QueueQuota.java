package io.tessera.core.placement;

import io.tessera.core.model.Device;
import io.tessera.core.validation.Check;

import java.util.List;
import java.util.Optional;

/**
 * A queue's (a team's) share of the devices: at most so many of each kind and model in use at once
 * (its nominal quota). With {@code borrowing}, a queue at its quota may still use devices nobody
 * uses, but what it borrows is given back by preemption as soon as a queue within its own quota
 * needs it (Kueue's cohort model, with every queue in one cohort).
 *
 * @param limits checked in order: a device counts against the first limit that covers it; a device
 *               no limit covers is not limited
 */
public record QueueQuota(String queue, List<QuotaLimit> limits, boolean borrowing) {

    public QueueQuota {
        Check.name("queue", queue);
        limits = List.copyOf(limits);
    }

    /** The limit a device counts against, if any. */
    public Optional<QuotaLimit> limitFor(Device device) {
        for (QuotaLimit limit : limits) {
            if (limit.covers(device)) {
                return Optional.of(limit);
            }
        }
        return Optional.empty();
    }
}
