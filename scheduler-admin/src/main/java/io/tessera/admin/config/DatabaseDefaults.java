package io.tessera.admin.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.Map;

/**
 * The zero-setup database: with no {@code spring.datasource.url}, an H2 file database under the data
 * directory. Runs before the context exists, so that Boot's own DataSource and Flyway
 * auto-configuration see it as if it had been configured; any {@code spring.datasource.url} (MySQL,
 * MariaDB) wins, because this source comes last.
 */
public class DatabaseDefaults implements EnvironmentPostProcessor {

    /**
     * H2 settings under which the same SQL runs on H2 and on MySQL/MariaDB: MySQL mode (AUTO_INCREMENT,
     * LIMIT/OFFSET, table options), lower-case names as MySQL on Linux keeps them, and a lock wait
     * of 10 s (H2's default, 1 s, fails busy engine and API threads that merely queue for a row).
     */
    public static final String H2_OPTIONS = "MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;LOCK_TIMEOUT=10000";

    static final String SOURCE_NAME = "tesseraDatabaseDefaults";

    /** The H2 URL for a data directory; Spring closes the database on shutdown, not H2's own hook. */
    public static String h2FileUrl(Path dataDir) {
        String file = dataDir.toAbsolutePath().normalize().resolve("tessera").toString().replace('\\', '/');
        return "jdbc:h2:file:" + file + ";" + H2_OPTIONS + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.datasource.url")) {
            return;
        }
        Path dataDir = Path.of(environment.getProperty("tessera.data-dir", TesseraProperties.DEFAULT_DATA_DIR));
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                "spring.datasource.url", h2FileUrl(dataDir),
                "spring.datasource.username", "sa",
                "spring.datasource.password", "")));
    }
}
