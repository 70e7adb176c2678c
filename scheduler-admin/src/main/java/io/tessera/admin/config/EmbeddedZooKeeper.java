package io.tessera.admin.config;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.ZooKeeperServer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A single ZooKeeper server in this JVM, through ZooKeeper's own embedded API: the zero-setup
 * default when {@code tessera.zookeeper.connect} is empty. It listens on one address, 127.0.0.1 by
 * default ({@code tessera.zookeeper.embedded-bind-address}), so that it is not open to the network
 * unless asked. Started once, closed idempotently.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    private enum State { LATENT, STARTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
    private static final long START_TIMEOUT_MS = 30_000;

    public static final String LOOPBACK = "127.0.0.1";

    private volatile int port;
    private final String bindAddress;
    private final Path baseDir;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private ZooKeeperServerEmbedded server;

    /** Listens on 127.0.0.1 only. */
    public EmbeddedZooKeeper(int port, Path baseDir) {
        this(LOOPBACK, port, baseDir);
    }

    /**
     * @param bindAddress the address to listen on: an IP address or host name of this machine, or
     *                    0.0.0.0 / :: for every interface
     * @param port        the client port; 0 picks a free one at start (tests, several admins on one machine)
     */
    public EmbeddedZooKeeper(String bindAddress, int port, Path baseDir) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.baseDir = baseDir.toAbsolutePath().normalize();
    }

    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the embedded ZooKeeper can be started once, it is " + state.get());
        }
        port = port == 0 ? freePort() : port;
        requirePortFree();
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(port));
        config.setProperty("clientPortAddress", bindAddress);
        config.setProperty("dataDir", baseDir.resolve("data").toString());
        config.setProperty("tickTime", "2000");
        config.setProperty("initLimit", "10");
        config.setProperty("syncLimit", "5");
        config.setProperty("admin.enableServer", "false");
        // Monitoring words only (mntr: request and node counts, as the benchmark reads them); nothing that changes state.
        config.setProperty("4lw.commands.whitelist", "mntr,srvr,ruok");
        // The embedded server is the one-machine default: its writes (claims, results) reach the OS
        // at once and survive a crash of this process; an fsync per write would put a disk flush
        // (tens of milliseconds on a busy disk) between every fire and its handler. An ensemble
        // configured through tessera.zookeeper.connect keeps ZooKeeper's own default.
        config.setProperty("forceSync", "no");
        // Keep a day of snapshots and logs, not all of them forever.
        config.setProperty("autopurge.snapRetainCount", "3");
        config.setProperty("autopurge.purgeInterval", "24");
        // The tree digest checks that an ensemble's servers agree; one server has nobody to agree with,
        // and computing it for every write was a tenth of the leader's CPU at 3,000 shard runs/s.
        if (System.getProperty(ZooKeeperServer.ZOOKEEPER_DIGEST_ENABLED) == null) {
            ZooKeeperServer.setDigestEnabled(false);
        }
        try {
            Files.createDirectories(baseDir);
            server = ZooKeeperServerEmbedded.builder()
                    .baseDir(baseDir)
                    .configuration(config)
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(START_TIMEOUT_MS);
        } catch (Exception e) {
            throw new IllegalStateException("The embedded ZooKeeper did not start on " + bindAddress + ":" + port
                    + " with data in " + baseDir + ": " + e + ". Set tessera.zookeeper.embedded-port to a free port"
                    + " (and tessera.zookeeper.embedded-bind-address to an address of this machine), or"
                    + " tessera.zookeeper.connect to use a ZooKeeper ensemble", e);
        }
        log.info("Embedded ZooKeeper listening on {}:{}, data in {} (set tessera.zookeeper.connect to use an ensemble)",
                bindAddress, port, baseDir);
    }

    /**
     * What this JVM's own clients connect to: {@code 127.0.0.1:port} when the server listens on every
     * interface or on loopback, else the address it listens on.
     */
    public String connectString() {
        return clientHost() + ":" + port;
    }

    /** The address the server listens on, as configured. */
    public String bindAddress() {
        return bindAddress;
    }

    private String clientHost() {
        InetAddress address = resolvedBindAddress();
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
            return LOOPBACK;
        }
        String host = address.getHostAddress();
        return address instanceof java.net.Inet6Address ? "[" + host + "]" : host;
    }

    private InetAddress resolvedBindAddress() {
        try {
            return InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("tessera.zookeeper.embedded-bind-address '" + bindAddress
                    + "' does not resolve to an address of this machine", e);
        }
    }

    public int port() {
        return port;
    }

    public Path baseDir() {
        return baseDir;
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED && server != null) {
            server.close();
            log.info("Embedded ZooKeeper on port {} stopped", port);
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded ZooKeeper", e);
        }
    }

    private void requirePortFree() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(resolvedBindAddress(), port));
        } catch (IOException e) {
            state.set(State.CLOSED);
            throw new UncheckedIOException("Port " + port + " is in use on " + bindAddress + " (or that is not an"
                    + " address of this machine), so the embedded ZooKeeper cannot listen there. Set"
                    + " tessera.zookeeper.embedded-port to a free port, or tessera.zookeeper.connect to use a running"
                    + " ZooKeeper", e);
        }
    }
}
