package io.tessera.admin.store.mybatis;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

import java.time.Instant;

/** SQL for the cluster identity; one row whose key is always 1. The same SQL runs on H2 (MySQL mode) and MySQL/MariaDB. */
@Mapper
public interface ClusterMapper {

    @Select("SELECT cluster_id FROM cluster_identity WHERE id = 1")
    String clusterId();

    @Insert("INSERT INTO cluster_identity (id, cluster_id, created_at) VALUES (1, #{clusterId}, #{now})")
    int insert(@Param("clusterId") String clusterId, @Param("now") Instant now);

    @Update("UPDATE cluster_identity SET cluster_id = #{clusterId} WHERE id = 1")
    int update(@Param("clusterId") String clusterId);

    @Select("SELECT COALESCE(MAX(id), 0) FROM job_run")
    long highestRunId();

    /** DDL takes no bind parameters; {@code next} is a long, so nothing but digits reaches the statement. */
    @Update("ALTER TABLE job_run AUTO_INCREMENT = ${next}")
    void continueRunIdsFrom(@Param("next") long next);
}
