package io.tessera.admin.store.mybatis;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The cluster identity store on the real MariaDB, in a database of its own, dropped afterwards. */
@DirtiesContext
class MariaDbClusterIdentityStoreTest extends ClusterIdentityStoreContract {

    private static final String DATABASE = TestDatabases.uniqueName();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabases.createMariaDb(DATABASE);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "root");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabases.dropMariaDb(DATABASE);
    }
}
