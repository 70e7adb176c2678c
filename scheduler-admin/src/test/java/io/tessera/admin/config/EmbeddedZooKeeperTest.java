package io.tessera.admin.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
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

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, dir);
        server.start();
        try {
            assertThat(server.bindAddress()).isEqualTo("127.0.0.1");
            assertThat(reachable("127.0.0.1", server.port())).isTrue();
            String other = otherLocalAddress();
            assertThat(reachable(other, server.port())).as("reachable on " + other).isFalse();
        } finally {
            server.close();
        }
    }

    /** The other side of the test above: the same probe does reach a server that listens everywhere. */
    @Test
    void listensOnEveryInterfaceWhenAsked() throws Exception {
        EmbeddedZooKeeper server = new EmbeddedZooKeeper("0.0.0.0", 0, dir);
        server.start();
        try {
            assertThat(server.connectString()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(reachable(otherLocalAddress(), server.port())).isTrue();
        } finally {
            server.close();
        }
    }

    /** A non-loopback IPv4 address of this machine if it has one, else 127.0.0.2 (loopback, but not 127.0.0.1). */
    private static String otherLocalAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(EmbeddedZooKeeperTest::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .map(InetAddress::getHostAddress)
                .findFirst().orElse("127.0.0.2");
    }

    private static boolean up(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot ask whether " + nic.getName() + " is up", e);
        }
    }

    /** Whether ZooKeeper answers {@code ruok} there. */
    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("ruok".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).equals("imok");
        } catch (IOException refused) {
            return false;
        }
    }
}
