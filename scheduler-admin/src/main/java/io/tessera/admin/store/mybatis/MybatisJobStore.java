package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.JobStore;
import io.tessera.core.model.JobDefinition;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Repository;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** {@link JobStore} over MyBatis; the same SQL for H2 and MySQL/MariaDB. */
@Repository
@DependsOnDatabaseInitialization
public class MybatisJobStore implements JobStore {

    private final JobMapper mapper;
    private final Clock clock = Clock.systemUTC();

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
        return Optional.ofNullable(mapper.find(id)).map(JobRow::toJob);
    }

    @Override
    public Optional<JobDefinition> findByName(String name) {
        return Optional.ofNullable(mapper.findByName(name)).map(JobRow::toJob);
    }

    @Override
    public List<JobDefinition> list(String nameFilter, int offset, int limit) {
        Paging.check(offset, limit);
        return mapper.list(Texts.containsPattern(nameFilter), offset, limit).stream().map(JobRow::toJob).toList();
    }

    @Override
    public long count(String nameFilter) {
        return mapper.count(Texts.containsPattern(nameFilter));
    }

    @Override
    public List<JobDefinition> listScheduled() {
        return mapper.listScheduled().stream().map(JobRow::toJob).toList();
    }

    @Override
    public boolean setEnabled(long id, boolean enabled) {
        return mapper.setEnabled(id, enabled, clock.instant()) == 1;
    }

    @Override
    public boolean delete(long id) {
        return mapper.delete(id) == 1;
    }
}
