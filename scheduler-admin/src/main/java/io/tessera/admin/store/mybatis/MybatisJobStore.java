package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.UnreadableJob;
import io.tessera.core.model.JobDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Repository;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link JobStore} over MyBatis; the same SQL for H2 and MySQL/MariaDB. A row that cannot be read is
 * left out of what callers get and logged once per row and reason, so one bad row never fails a list,
 * a page of the UI or the engine's plan.
 */
@Repository
@DependsOnDatabaseInitialization
public class MybatisJobStore implements JobStore {

    private static final Logger log = LoggerFactory.getLogger(MybatisJobStore.class);

    private final JobMapper mapper;
    private final Clock clock = Clock.systemUTC();
    /** The rows reported unreadable, with the reason last logged, so that a reload does not log them again. */
    private final Map<Long, String> reported = new ConcurrentHashMap<>();

    public MybatisJobStore(JobMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public JobDefinition insert(JobDefinition job) {
        JobRow row = JobRow.of(job, clock.instant());
        try {
            mapper.insert(row);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new DuplicateKeyException("a job named '" + job.name() + "' exists", e);
        }
        return job.toBuilder().id(row.id).build();
    }

    @Override
    public boolean update(JobDefinition job) {
        if (job.id() == null) {
            throw new IllegalArgumentException("update needs the job's id");
        }
        try {
            return mapper.update(JobRow.of(job, clock.instant())) == 1;
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new DuplicateKeyException("a job named '" + job.name() + "' exists", e);
        }
    }

    @Override
    public Optional<JobDefinition> find(long id) {
        return Optional.ofNullable(mapper.find(id)).flatMap(this::read);
    }

    @Override
    public Optional<JobDefinition> findByName(String name) {
        return Optional.ofNullable(mapper.findByName(name)).flatMap(this::read);
    }

    @Override
    public List<JobDefinition> list(String nameFilter, int offset, int limit) {
        Paging.check(offset, limit);
        return readable(mapper.list(Texts.containsPattern(nameFilter), offset, limit));
    }

    @Override
    public List<UnreadableJob> unreadable(String nameFilter, int offset, int limit) {
        Paging.check(offset, limit);
        return mapper.list(Texts.containsPattern(nameFilter), offset, limit).stream()
                .map(MybatisJobStore::problem).filter(Objects::nonNull).toList();
    }

    @Override
    public Optional<UnreadableJob> unreadable(long id) {
        return Optional.ofNullable(mapper.find(id)).map(MybatisJobStore::problem);
    }

    @Override
    public long count(String nameFilter) {
        return mapper.count(Texts.containsPattern(nameFilter));
    }

    @Override
    public List<JobDefinition> listScheduled() {
        return readable(mapper.listScheduled());
    }

    @Override
    public boolean setEnabled(long id, boolean enabled) {
        return mapper.setEnabled(id, enabled, clock.instant()) == 1;
    }

    @Override
    public boolean delete(long id) {
        reported.remove(id);
        return mapper.delete(id) == 1;
    }

    private List<JobDefinition> readable(List<JobRow> rows) {
        return rows.stream().map(this::read).flatMap(Optional::stream).toList();
    }

    private Optional<JobDefinition> read(JobRow row) {
        try {
            JobDefinition job = row.toJob();
            reported.remove(row.id);
            return Optional.of(job);
        } catch (RuntimeException e) {
            String reason = reason(e);
            if (!reason.equals(reported.put(row.id, reason))) {
                log.error("Job {} ('{}') is skipped: its stored row cannot be read ({}). Fix the row, or delete the job"
                        + " (DELETE /api/v1/jobs/{}) and create it again", row.id, row.name, reason, row.id);
            }
            return Optional.empty();
        }
    }

    /** Why the row cannot be read; null when it can. */
    private static UnreadableJob problem(JobRow row) {
        try {
            row.toJob();
            return null;
        } catch (RuntimeException e) {
            return new UnreadableJob(row.id, row.name, reason(e));
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
