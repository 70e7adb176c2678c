package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.ClusterIdentityStore;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

import java.time.Clock;
import java.util.Optional;

/** {@link ClusterIdentityStore} over MyBatis. */
@Repository
@DependsOnDatabaseInitialization
class MybatisClusterIdentityStore implements ClusterIdentityStore {

    private final ClusterMapper mapper;
    private final Clock clock = Clock.systemUTC();

    MybatisClusterIdentityStore(ClusterMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Optional<String> clusterId() {
        return Optional.ofNullable(mapper.clusterId());
    }

    @Override
    public String keep(String clusterId) {
        try {
            mapper.insert(clusterId, UtcInstantTypeHandler.stored(clock.instant()));
            return clusterId;
        } catch (DuplicateKeyException storedFirst) {
            // Another admin stored the cluster's id a moment ago: that one is the cluster's.
            return clusterId().orElseThrow(() -> new IllegalStateException(
                    "the cluster id row exists and cannot be read back", storedFirst));
        }
    }

    @Override
    public void replace(String clusterId) {
        if (mapper.update(clusterId) == 0) {
            keep(clusterId);
        }
    }

    @Override
    public long highestRunId() {
        return mapper.highestRunId();
    }

    @Override
    public void continueRunIdsFrom(long next) {
        mapper.continueRunIdsFrom(next);
    }
}
