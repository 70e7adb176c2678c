package io.tessera.admin.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The leader's own measure of its contact with ZooKeeper, against a real server that stops and comes back. */
class ZooKeeperContactTest {

    @Test
    void contactLapsesOnceTheServerHasBeenSilentForTheSessionTimeoutAndReturnsWithIt() throws Exception {
        try (TestingServer server = new TestingServer();
             CuratorFramework client = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
                     .sessionTimeoutMs(4_000).connectionTimeoutMs(4_000).retryPolicy(new RetryOneTime(100)).build()) {
            client.start();
            client.blockUntilConnected();
            ZooKeeperContact contact = new ZooKeeperContact(client);
            AtomicInteger watched = new AtomicInteger();
            contact.start(watched::incrementAndGet);

            await().atMost(Duration.ofSeconds(5)).until(() -> watched.get() >= 3);
            long timeout = contact.sessionTimeoutMillis();
            assertThat(timeout).as("the timeout the server granted").isPositive();
            assertThat(contact.withinSession()).isTrue();
            assertThat(contact.silentMillis()).isLessThan(timeout / 2);

            server.stop();
            await().atMost(Duration.ofMillis(timeout + 5_000)).until(() -> !contact.withinSession());
            assertThat(contact.silentMillis()).isGreaterThanOrEqualTo(timeout);

            server.restart();
            await().atMost(Duration.ofSeconds(30)).until(contact::withinSession);
            contact.close();
            contact.close();
        }
    }
}
