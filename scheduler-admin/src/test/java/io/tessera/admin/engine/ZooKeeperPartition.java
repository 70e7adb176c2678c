package io.tessera.admin.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between ZooKeeper clients and a server that can be cut like a network partition (or
 * an agent frozen by SIGSTOP): after {@link #cut()} the connections stay open but nothing passes
 * either way, and new connections are accepted and never answered. Neither side is told, so the
 * client notices only by its own timeouts, and the server expires the session on its own clock.
 * After {@link #heal()} new connections pass again. It remembers when the client last heard from
 * the server: the last byte relayed towards it.
 */
final class ZooKeeperPartition implements Closeable {

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** One flag per connection, set when it is cut. */
    private final List<AtomicBoolean> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong lastToClientNanos = new AtomicLong(System.nanoTime());
    private volatile boolean cut;
    private volatile boolean closed;

    ZooKeeperPartition(String serverHost, int serverPort) throws IOException {
        this.server = new InetSocketAddress(serverHost, serverPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "partition-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code host:port} for the client's connect string. */
    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on nothing passes, either way, on open connections and new ones. */
    public void cut() {
        cut = true;
        connections.forEach(dead -> dead.set(true));
    }

    /** New connections pass again; those open during the cut stay dead, as after a real partition. */
    public void heal() {
        cut = false;
    }

    /** {@link System#nanoTime()} when the last byte from the server was relayed to a client. */
    public long lastToClientNanos() {
        return lastToClientNanos.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                AtomicBoolean dead = new AtomicBoolean(cut);
                connections.add(dead);
                if (dead.get()) {
                    relay(client.getInputStream(), null, dead, false, "partition-proxy-drop");
                    continue;
                }
                Socket upstream = new Socket(server.getAddress(), server.getPort());
                sockets.add(upstream);
                relay(client.getInputStream(), upstream.getOutputStream(), dead, false, "partition-proxy-up");
                relay(upstream.getInputStream(), client.getOutputStream(), dead, true, "partition-proxy-down");
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("the partition proxy failed", e);
                }
            }
        }
    }

    private void relay(InputStream in, OutputStream out, AtomicBoolean dead, boolean toClient, String name) {
        Thread pump = new Thread(() -> pump(in, out, dead, toClient), name);
        pump.setDaemon(true);
        pump.start();
    }

    /** Copies until either side closes; once cut, reads and drops, so that neither side sees an error. */
    private void pump(InputStream in, OutputStream out, AtomicBoolean dead, boolean toClient) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (dead.get() || out == null) {
                    continue;
                }
                out.write(buffer, 0, n);
                out.flush();
                if (toClient) {
                    lastToClientNanos.set(System.nanoTime());
                }
            }
        } catch (SocketException e) {
            // one side closed: the other learns it when its own socket is closed below
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException("the partition proxy failed to relay", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
