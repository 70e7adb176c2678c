package io.tessera.admin.store;

import io.tessera.core.model.JobDefinition;

import java.util.List;
import java.util.Optional;

/** Jobs as stored. Implementations are thread-safe. */
public interface JobStore {

    /**
     * Stores a new job and returns it with its id.
     *
     * @throws DuplicateKeyException when a job of that name exists
     */
    JobDefinition insert(JobDefinition job);

    /** Replaces the job with the same id; false when there is none. */
    boolean update(JobDefinition job);

    /** Empty when there is no such job, or when its row cannot be read ({@link #unreadable(long)} says why). */
    Optional<JobDefinition> find(long id);

    Optional<JobDefinition> findByName(String name);

    /**
     * A page of jobs ordered by id; {@code nameFilter} matches a substring of the name, null for all.
     * Rows that cannot be read are left out of the page (and logged); {@link #unreadable(String, int, int)}
     * names them.
     */
    List<JobDefinition> list(String nameFilter, int offset, int limit);

    /** The rows of the same page as {@link #list} that cannot be read, with why. */
    List<UnreadableJob> unreadable(String nameFilter, int offset, int limit);

    /** The job's row when it exists but cannot be read. */
    Optional<UnreadableJob> unreadable(long id);

    long count(String nameFilter);

    /**
     * Enabled jobs whose schedule is CRON or FIXED_RATE: what the engine's timer is fed from. A row that
     * cannot be read is skipped and logged, never fatal to the others.
     */
    List<JobDefinition> listScheduled();

    boolean setEnabled(long id, boolean enabled);

    /** Deletes the job; its runs stay for history. False when there was none. */
    boolean delete(long id);
}
