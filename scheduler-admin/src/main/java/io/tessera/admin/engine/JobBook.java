package io.tessera.admin.engine;

import io.tessera.core.model.JobDefinition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The job definitions the engine knows: every scheduled job after each reload, and the others
 * (manual, API-triggered, children) read once on demand and kept until the next reload, so that a
 * change is seen. Confined to the engine thread.
 */
final class JobBook {

    private final Map<Long, JobDefinition> jobs = new HashMap<>();

    Optional<JobDefinition> find(long jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    void put(JobDefinition job) {
        jobs.put(job.id(), job);
    }

    /** After a reload: the scheduled jobs as read; everything else is read again when needed. */
    void reloaded(Collection<JobDefinition> scheduled) {
        jobs.clear();
        scheduled.forEach(this::put);
    }

    Set<Long> ids() {
        return Set.copyOf(jobs.keySet());
    }
}
