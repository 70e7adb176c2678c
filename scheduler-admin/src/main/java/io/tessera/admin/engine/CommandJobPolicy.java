package io.tessera.admin.engine;

import io.tessera.admin.store.Role;
import io.tessera.core.model.JobDefinition;

/**
 * Jobs that use the {@code command} handler run arbitrary command lines on executors, so only an
 * ADMIN may create, change or delete one, or trigger one with other params than its own. Pausing
 * and resuming one, or triggering it as it is, is left to operators. The API and the UI both ask
 * this class, so that the two can never disagree.
 */
public final class CommandJobPolicy {

    private CommandJobPolicy() {
    }

    /** The role may not do this to a command job. */
    public static final class RefusedException extends RuntimeException {

        private final String action;
        private final Role role;

        RefusedException(String action, Role role) {
            super("only an ADMIN may " + action + "; the role here is " + role);
            this.action = action;
            this.role = role;
        }

        /** What was refused, e.g. "delete a job that uses the 'command' handler". */
        public String action() {
            return action;
        }

        public Role role() {
            return role;
        }
    }

    /** Whether the role may create, change or delete this job. */
    public static boolean mayEdit(JobDefinition job, Role role) {
        return !job.usesCommandHandler() || role.includes(Role.ADMIN);
    }

    public static void checkCreate(JobDefinition job, Role role) {
        require(job, role, "create a job that uses the 'command' handler");
    }

    public static void checkUpdate(JobDefinition existing, JobDefinition changed, Role role) {
        require(existing, role, "change a job that uses the 'command' handler");
        require(changed, role, "change a job to use the 'command' handler");
    }

    public static void checkDelete(JobDefinition job, Role role) {
        require(job, role, "delete a job that uses the 'command' handler");
    }

    /** A job whose stored row cannot be read may be a command job: only an ADMIN deletes it. */
    public static void checkDeleteUnreadable(Role role) {
        if (!role.includes(Role.ADMIN)) {
            throw new RefusedException("delete a job whose stored row cannot be read", role);
        }
    }

    /** @param params null when the run takes the job's own params */
    public static void checkTrigger(JobDefinition job, String params, Role role) {
        if (params != null) {
            require(job, role, "trigger a 'command' job with other params than its own");
        }
    }

    private static void require(JobDefinition job, Role role, String action) {
        if (!mayEdit(job, role)) {
            throw new RefusedException(action, role);
        }
    }
}
