package io.tessera.admin.store.mybatis;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.type.JdbcType;
import org.mybatis.spring.SqlSessionTemplate;
import org.mybatis.spring.annotation.MapperScan;
import org.mybatis.spring.boot.autoconfigure.ConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

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

    /** A JDBC-batching session for the stores' bulk updates; used only inside its own transaction. */
    @Bean
    BatchSessions tesseraBatchSessions(SqlSessionFactory factory, PlatformTransactionManager transactions) {
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new BatchSessions(new SqlSessionTemplate(factory, ExecutorType.BATCH), own);
    }

    /**
     * MyBatis refuses to mix executor types in one transaction, so batches always run in a new
     * transaction of their own (the caller's, if any, is suspended meanwhile).
     */
    public record BatchSessions(SqlSessionTemplate template, TransactionTemplate newTransaction) {
    }
}
