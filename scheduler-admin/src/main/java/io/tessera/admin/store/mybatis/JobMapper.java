package io.tessera.admin.store.mybatis;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;

/** SQL for {@code job}; see JobMapper.xml. */
@Mapper
public interface JobMapper {

    int insert(JobRow row);

    int update(JobRow row);

    JobRow find(@Param("id") long id);

    JobRow findByName(@Param("name") String name);

    List<JobRow> list(@Param("pattern") String pattern, @Param("offset") int offset, @Param("limit") int limit);

    long count(@Param("pattern") String pattern);

    List<JobRow> listScheduled();

    int setEnabled(@Param("id") long id, @Param("enabled") boolean enabled, @Param("now") Instant now);

    int delete(@Param("id") long id);
}
