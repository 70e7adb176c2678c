package io.tessera.admin.engine;

import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.JobLimits;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.UnreadableJob;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.validation.ValidationException;

import java.time.Clock;
import java.util.Optional;

/**
 * Creating and changing jobs, on any admin: validated, stored, audited, and announced to the
 * leader, which reloads its schedule at once.
 */
public final class JobService {

    private final JobStore jobs;
    private final AuditStore audit;
    private final ClusterSignals signals;
    private final Clock clock;

    public JobService(JobStore jobs, AuditStore audit, ClusterSignals signals, Clock clock) {
        this.jobs = jobs;
        this.audit = audit;
        this.signals = signals;
        this.clock = clock;
    }

    /**
     * @throws ValidationException for a schedule that never fires, a child job that does not exist, or
     *                             a field longer than its column
     */
    public JobDefinition create(JobDefinition job, String actor) {
        check(job);
        JobDefinition stored = jobs.insert(job.toBuilder().id(null).build());
        record(actor, "job.create", stored, stored.name());
        signals.jobsChanged();
        return stored;
    }

    /** @return empty when there is no job with that id */
    public Optional<JobDefinition> update(JobDefinition job, String actor) {
        if (job.id() == null) {
            throw new IllegalArgumentException("an update needs the job's id");
        }
        check(job);
        if (!jobs.update(job)) {
            return Optional.empty();
        }
        record(actor, "job.update", job, job.name());
        signals.jobsChanged();
        return jobs.find(job.id());
    }

    public boolean setEnabled(long jobId, boolean enabled, String actor) {
        Optional<JobDefinition> job = jobs.find(jobId);
        if (job.isEmpty() || !jobs.setEnabled(jobId, enabled)) {
            return false;
        }
        record(actor, enabled ? "job.resume" : "job.pause", job.get(), "");
        signals.jobsChanged();
        return true;
    }

    /** Deletes the job, also one whose stored row cannot be read (which is how such a row is got rid of). */
    public boolean delete(long jobId, String actor) {
        Optional<JobDefinition> job = jobs.find(jobId);
        if (job.isEmpty()) {
            return deleteUnreadable(jobId, actor);
        }
        if (!jobs.delete(jobId)) {
            return false;
        }
        record(actor, "job.delete", job.get(), job.get().name());
        signals.jobsChanged();
        return true;
    }

    private boolean deleteUnreadable(long jobId, String actor) {
        Optional<UnreadableJob> broken = jobs.unreadable(jobId);
        if (broken.isEmpty() || !jobs.delete(jobId)) {
            return false;
        }
        audit.append(new AuditStore.AuditEntry(null, clock.instant(), actor, "job.delete", "job:" + jobId,
                broken.get().name() + " (its stored row could not be read: " + broken.get().reason() + ")"));
        signals.jobsChanged();
        return true;
    }

    private void check(JobDefinition job) {
        JobLimits.check(job);
        job.schedule().requireFiresAfter(clock.instant());
        for (Long child : job.childJobIds()) {
            if (jobs.find(child).isEmpty()) {
                throw new ValidationException("childJobIds", "job " + child + " does not exist");
            }
        }
    }

    private void record(String actor, String action, JobDefinition job, String detail) {
        audit.append(new AuditStore.AuditEntry(null, clock.instant(), actor, action, "job:" + job.id(), detail));
    }
}
