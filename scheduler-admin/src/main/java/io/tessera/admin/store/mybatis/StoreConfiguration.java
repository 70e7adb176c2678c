package io.tessera.admin.store.mybatis;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.type.JdbcType;
import org.mybatis.spring.annotation.MapperScan;
import org.mybatis.spring.boot.autoconfigure.ConfigurationCustomizer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Instant;

/**
 * MyBatis wiring for the stores. Everything the mappers rely on is set here, in code, so that the
 * stores behave the same whatever {@code mybatis.*} properties say.
 */
@Configuration(proxyBeanMethods = false)
@MapperScan(basePackages = "io.tessera.admin.store.mybatis", annotationClass = Mapper.class)
public class StoreConfiguration {

    @Bean
    ConfigurationCustomizer tesseraMybatisSettings() {
        return configuration -> {
            configuration.setMapUnderscoreToCamelCase(true);
            configuration.setJdbcTypeForNull(JdbcType.NULL);
            configuration.getTypeHandlerRegistry().register(Instant.class, new UtcInstantTypeHandler());
            // By class, not by package: MyBatis' package scan cannot see into Boot's nested jars.
            for (Class<?> row : new Class<?>[]{JobRow.class, RunRow.class, ShardRow.class}) {
                configuration.getTypeAliasRegistry().registerAlias(row);
            }
        };
    }

    /**
     * On MariaDB, JDBC batches go to the server as one bulk command (COM_STMT_BULK_EXECUTE) instead
     * of a statement per row: the engine's batched updates then cost the server a third of the CPU.
     * A {@code useBulkStmts} the operator set in the URL or the pool's properties wins. With bulk
     * commands the server does not say which rows of a batch changed (see RunStore#completeShards).
     */
    @Bean
    static BeanPostProcessor mariaDbBulkBatches() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                        && pool.getJdbcUrl().startsWith("jdbc:mariadb:") && !pool.getJdbcUrl().contains("useBulkStmts")
                        && !pool.getDataSourceProperties().containsKey("useBulkStmts")) {
                    pool.addDataSourceProperty("useBulkStmts", "true");
                }
                return bean;
            }
        };
    }
}
