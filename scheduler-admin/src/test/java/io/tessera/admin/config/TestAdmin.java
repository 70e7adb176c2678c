package io.tessera.admin.config;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Settings for a test that starts the whole admin: a data directory of its own (so its own H2 file,
 * ZooKeeper data and cluster secret) and an embedded ZooKeeper on a free port, never 2181 (other
 * people's tests run on the same machine). Use from a {@code @DynamicPropertySource} method.
 */
public final class TestAdmin {

    private TestAdmin() {
    }

    /** A fresh data directory under target/, removed by {@code mvn clean}. */
    public static Path newDataDir() {
        try {
            return Files.createDirectories(Path.of("target", "test-data", UUID.randomUUID().toString())).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port that was free a moment ago, for a server a test starts as a separate process. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path isolate(DynamicPropertyRegistry registry) {
        Path dataDir = newDataDir();
        isolate(registry, dataDir);
        return dataDir;
    }

    public static void isolate(DynamicPropertyRegistry registry, Path dataDir) {
        registry.add("tessera.data-dir", dataDir::toString);
        registry.add("tessera.zookeeper.embedded-port", () -> "0");
        // Set here, not left to DatabaseDefaults: it cannot see properties that tests add.
        registry.add("spring.datasource.url", () -> DatabaseDefaults.h2FileUrl(dataDir));
    }
}
