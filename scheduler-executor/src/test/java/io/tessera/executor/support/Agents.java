package io.tessera.executor.support;

import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.DeviceId;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ZkAccess;
import io.tessera.executor.config.AgentConfig;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One timing base and the configuration every test agent starts from. */
public final class Agents {

    public static final String SECRET = "test-cluster-secret-0123456789";
    /** Short, so that session loss shows within a test. */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    /** The longest any test waits for something that should happen. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private Agents() {
    }

    public static AgentConfig.Builder config(TestingServer zk, Path dataDir) {
        return AgentConfig.builder()
                .zookeeper(zk.getConnectString())
                .bindHost("127.0.0.1")
                .advertisedHost("127.0.0.1")
                .port(0)
                .dataDir(dataDir)
                .secret(SECRET)
                .detectDevices(false)
                .sessionTimeout(SESSION_TIMEOUT)
                .connectionTimeout(Duration.ofSeconds(5))
                .killGrace(Duration.ofSeconds(1))
                .adminUrl("http://127.0.0.1:1")
                .reportRetry(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    /** A ZooKeeper client in the agents' namespace, to look at what they wrote. */
    public static CuratorFramework observer(TestingServer zk) throws InterruptedException {
        CuratorFramework client = ZkAccess.fromSecret(SECRET).apply(CuratorFrameworkFactory.builder())
                .connectString(zk.getConnectString())
                .namespace("tessera")
                .retryPolicy(new RetryOneTime(100))
                .build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    public static TriggerRequest trigger(long runId, int shard, String handler, String params) {
        return trigger(runId, 1L, shard, 1, handler, params, List.of(), 0, BlockStrategy.SERIAL, null);
    }

    /** The same trigger, due at {@code scheduledAt}: the admin sends scheduled shards ahead of their fire time. */
    public static TriggerRequest dueAt(TriggerRequest t, Instant scheduledAt) {
        return new TriggerRequest(t.v(), t.runId(), t.jobId(), t.jobName(), t.handler(), t.params(), t.shardIndex(),
                t.shardTotal(), t.attempt(), t.devices(), t.timeoutSeconds(), t.blockStrategy(), t.rendezvous(), scheduledAt,
                now(), t.reportTo());
    }

    /** Live threads whose name starts with {@code prefix}, e.g. {@code "tessera-shard-"}. */
    /** Now, to the millisecond: what an instant is after it crossed the wire. */
    public static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    public static long threadsNamed(String prefix) {
        return liveThreadNames().stream().filter(name -> name.startsWith(prefix)).count();
    }

    /** The names of the JVM's live threads, read without stopping them (unlike taking their stacks). */
    public static List<String> liveThreadNames() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 64];
        int count = root.enumerate(threads, true);
        return java.util.Arrays.stream(threads, 0, count).filter(Thread::isAlive).map(Thread::getName).toList();
    }

    public static TriggerRequest trigger(long runId, long jobId, int shard, int total, String handler, String params,
                                         List<DeviceId> devices, int timeoutSeconds, BlockStrategy strategy,
                                         TriggerRequest.Rendezvous rendezvous) {
        return new TriggerRequest(WireMessage.PROTOCOL_VERSION, runId, jobId, "job-" + jobId, handler, params, shard, total,
                1, devices, timeoutSeconds, strategy, rendezvous, now(), now(), null);
    }
}
