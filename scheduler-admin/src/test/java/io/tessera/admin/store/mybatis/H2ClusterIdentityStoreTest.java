package io.tessera.admin.store.mybatis;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The cluster identity store on H2 (MODE=MySQL). */
class H2ClusterIdentityStoreTest extends ClusterIdentityStoreContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabases.h2Url(TestDatabases.uniqueName()));
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }
}
