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

    Optional<JobDefinition> find(long id);

    Optional<JobDefinition> findByName(String name);

    /** A page of jobs ordered by id; {@code nameFilter} matches a substring of the name, null for all. */
    List<JobDefinition> list(String nameFilter, int offset, int limit);

    long count(String nameFilter);

    /** Enabled jobs whose schedule is CRON or FIXED_RATE: what the engine's timer is fed from. */
    List<JobDefinition> listScheduled();

    boolean setEnabled(long id, boolean enabled);

    /** Deletes the job; its runs stay for history. False when there was none. */
    boolean delete(long id);
}
