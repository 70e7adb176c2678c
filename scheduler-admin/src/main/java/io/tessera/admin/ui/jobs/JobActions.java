package io.tessera.admin.ui.jobs;

import com.vaadin.flow.spring.annotation.SpringComponent;
import com.vaadin.flow.spring.annotation.UIScope;
import io.tessera.admin.engine.CommandJobPolicy;
import io.tessera.admin.engine.JobService;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.CurrentUser;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.TriggerKind;

import java.time.Clock;
import java.util.Optional;

/**
 * Everything the jobs views change, checked on the server for the signed-in user whatever the
 * browser showed: OPERATOR for any change, ADMIN for jobs that use the command handler (the same
 * {@link CommandJobPolicy} as the API). The work itself is the engine's services'.
 */
@SpringComponent
@UIScope
public class JobActions {

    private final CurrentUser user;
    private final JobService jobService;
    private final RunService runService;
    private final JobStore jobs;
    private final AuditStore audit;
    private final Clock clock = Clock.systemUTC();

    public JobActions(CurrentUser user, JobService jobService, RunService runService, JobStore jobs, AuditStore audit) {
        this.user = user;
        this.jobService = jobService;
        this.runService = runService;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** Whether the user may change jobs at all; the views hide every change control otherwise. */
    public boolean mayChangeJobs() {
        return user.may(Role.OPERATOR);
    }

    /** Whether the user may edit or delete this job (command jobs need ADMIN). */
    public boolean mayEdit(JobDefinition job) {
        return mayChangeJobs() && CommandJobPolicy.mayEdit(job, user.role());
    }

    /** Whether the user may trigger this job with params of their own. */
    public boolean mayOverrideParams(JobDefinition job) {
        return mayEdit(job);
    }

    /**
     * Stores a new job, or changes a stored one. A change keeps the job's current paused or active
     * state: that is what pause and resume are for.
     *
     * @return the stored job; empty when the job to change no longer exists
     * @throws io.tessera.core.validation.ValidationException       bad input, naming the field
     * @throws io.tessera.admin.store.DuplicateKeyException         the name is taken
     * @throws CommandJobPolicy.RefusedException                    a command job, and the user is no ADMIN
     * @throws org.springframework.security.access.AccessDeniedException the user may not change jobs
     */
    public Optional<JobDefinition> save(JobDefinition job) {
        user.require(Role.OPERATOR);
        if (job.id() == null) {
            CommandJobPolicy.checkCreate(job, user.role());
            return Optional.of(jobService.create(job, user.name()));
        }
        Optional<JobDefinition> existing = jobs.find(job.id());
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        CommandJobPolicy.checkUpdate(existing.get(), job, user.role());
        return jobService.update(job.toBuilder().enabled(existing.get().enabled()).build(), user.name());
    }

    /** @return false when the job no longer exists */
    public boolean setEnabled(long jobId, boolean enabled) {
        user.require(Role.OPERATOR);
        return jobService.setEnabled(jobId, enabled, user.name());
    }

    /** @return false when the job no longer exists */
    public boolean delete(long jobId) {
        user.require(Role.OPERATOR);
        Optional<JobDefinition> job = jobs.find(jobId);
        if (job.isEmpty()) {
            return false;
        }
        CommandJobPolicy.checkDelete(job.get(), user.role());
        return jobService.delete(jobId, user.name());
    }

    /**
     * Records a manual trigger; the leader fires it.
     *
     * @param params null to run with the job's own params
     * @throws RunService.UnknownJobException when the job no longer exists
     */
    public JobRun trigger(long jobId, String params) {
        user.require(Role.OPERATOR);
        if (params != null) {
            JobDefinition job = jobs.find(jobId).orElseThrow(() -> new RunService.UnknownJobException(jobId));
            CommandJobPolicy.checkTrigger(job, params, user.role());
        }
        JobRun run = runService.trigger(jobId, params, null, TriggerKind.MANUAL);
        audit.append(new AuditStore.AuditEntry(null, clock.instant(), user.name(), "run.trigger", "job:" + jobId,
                "run:" + run.id() + (params == null ? "" : " with params")));
        return run;
    }
}
