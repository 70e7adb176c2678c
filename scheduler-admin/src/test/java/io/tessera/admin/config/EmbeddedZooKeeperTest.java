package io.tessera.admin.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedZooKeeperTest {

    @TempDir
    Path dir;

    @Test
    void aTakenPortIsReportedWithWhatToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            EmbeddedZooKeeper server = new EmbeddedZooKeeper(taken.getLocalPort(), dir);

            assertThatThrownBy(server::start)
                    .hasMessageContaining("Port " + taken.getLocalPort() + " is in use")
                    .hasMessageContaining("tessera.zookeeper.embedded-port")
                    .hasMessageContaining("tessera.zookeeper.connect");
            server.close();
        }
    }

    @Test
    void startsOnceAndClosesIdempotently() {
        EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, dir);
        server.start();
        try {
            assertThat(server.port()).isPositive();
            assertThat(server.connectString()).isEqualTo("127.0.0.1:" + server.port());
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        } finally {
            server.close();
            server.close();
        }
        assertThat(dir.resolve("data")).isDirectory();
    }
}
