package io.tessera.executor.report;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.AdminCard;
import io.tessera.core.zk.Cards;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.SharedZooKeeper;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Admin cards the agent reads from ZooKeeper are checked: a forged or broken one never receives a result. */
class LiveAdminsTest {

    @RegisterExtension
    static final SharedZooKeeper zooKeeper = new SharedZooKeeper();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        for (String node : nodes) {
            zooKeeper.observer().delete().quietly().forPath(node);
        }
    }

    @Test
    void onlyValidAdminCardsAreOffered() throws Exception {
        register("admin-good", card("admin-good", "http://live-admin:8080"));
        register("admin-file", card("admin-file", "file:///etc/passwd"));
        register("admin-userinfo", card("admin-userinfo", "http://user:secret@live-admin:8080"));
        register("admin-underscore", card("admin-underscore", "http://bad_host:8080"));
        register("admin-query", card("admin-query", "http://live-admin:8080/?next=http://10.0.0.1"));
        register("admin-huge", card("admin-huge", "http://live-admin:8080", "x".repeat(Cards.MAX_CARD_BYTES)));
        register("admin-garbage", "{not json".getBytes(StandardCharsets.UTF_8));
        register("admin-bad-id", card("bad id/..", "http://live-admin:8080"));

        assertThat(new LiveAdmins(zooKeeper.observer()).get()).containsExactly(URI.create("http://live-admin:8080"));
    }

    @Test
    void aResultWhoseAdminIsGoneSkipsAForgedCardAndReachesTheLiveAdmin(@TempDir Path spoolDir) throws Exception {
        register("admin-live", card("admin-live", "http://live-admin:8080"));
        register("admin-forged", card("admin-forged", "http://attacker_box:8080"));
        List<URI> tried = new CopyOnWriteArrayList<>();
        ResultReporter reporter = (batch, target) -> {
            tried.add(target);
            if (!target.getHost().equals("live-admin")) {
                return CompletableFuture.failedFuture(new ConnectException("connection refused"));
            }
            return CompletableFuture.completedFuture(new ResultBatchAck(WireMessage.PROTOCOL_VERSION, batch.results().size(), 0));
        };
        ResultSpool spool = new ResultSpool(spoolDir);
        ReportDispatcher dispatcher = new ReportDispatcher(spool, reporter, null, scheduler, Duration.ofMillis(10),
                Duration.ofMillis(50), new LiveAdmins(zooKeeper.observer()));
        try {
            dispatcher.submit(List.of(new ShardResult(WireMessage.PROTOCOL_VERSION, 7, 0, 1, 3, "exec-1",
                    RunStatus.SUCCEEDED, 0, "", Instant.now(), Instant.now(), 42)), "http://dead-admin:8080/api/v1/executor/results");

            await().atMost(Agents.PATIENCE).until(() -> spool.list().isEmpty());
            assertThat(tried).anyMatch(uri -> uri.getHost().equals("live-admin"))
                    .noneMatch(uri -> uri.toString().contains("attacker_box"));
        } finally {
            dispatcher.close();
        }
    }

    private void register(String id, byte[] data) throws Exception {
        String path = ZkLayout.ADMIN_MEMBERS + "/" + id;
        zooKeeper.observer().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
        nodes.add(path);
    }

    private static byte[] card(String id, String url) {
        return WireCodec.encode(new AdminCard(id, url, "test", Instant.now()));
    }

    private static byte[] card(String id, String url, String reason) {
        return WireCodec.encode(new AdminCard(id, url, "test", Instant.now(), "FOLLOWER", reason));
    }
}
