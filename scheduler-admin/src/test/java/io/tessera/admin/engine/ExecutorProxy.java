package io.tessera.admin.engine;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real network path between the admin and an agent's endpoint, where requests can go missing or
 * answers arrive late: an HTTP/1.1 proxy on a loopback address of its own (say 127.0.0.2) in front of
 * the agent's port on 127.0.0.1. The agent advertises the proxy's address, so the admin's triggers
 * cross it. It counts requests per path, can swallow the next requests to a path (read, never
 * forwarded, never answered), and can hold every answer to a path for a while.
 */
final class ExecutorProxy implements Closeable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> toSwallow = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    ExecutorProxy(String listenHost, int port, int upstreamPort) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getByName(listenHost));
        this.upstream = new InetSocketAddress("127.0.0.1", upstreamPort);
        this.acceptor = new Thread(this::accept, "executor-proxy-" + listenHost + ":" + port);
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** The next {@code count} requests to {@code path} are read and then dropped: no answer ever comes. */
    void swallowNext(String path, int count) {
        toSwallow.computeIfAbsent(path, p -> new AtomicInteger()).addAndGet(count);
    }

    /** Answers to {@code path} are held this long before they go back. */
    void delayAnswers(String path, Duration delay) {
        delays.put(path, delay);
    }

    int requests(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    /** Answers to {@code path} handed back to the client (after any delay). */
    int answers(String path) {
        return answers.getOrDefault(path, new AtomicInteger()).get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread connection = new Thread(() -> serve(client), "executor-proxy-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket agent = new Socket()) {
            agent.connect(upstream, 2_000);
            sockets.add(agent);
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            while (!closed) {
                Message request = Message.read(fromClient, true);
                if (request == null) {
                    return;
                }
                requests.computeIfAbsent(request.path, p -> new AtomicInteger()).incrementAndGet();
                AtomicInteger swallow = toSwallow.get(request.path);
                if (swallow != null && swallow.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    // Lost on the way: the client waits until it gives up and closes the connection.
                    while (fromClient.read() >= 0) {
                        // drain until the client closes
                    }
                    return;
                }
                agent.getOutputStream().write(request.bytes);
                agent.getOutputStream().flush();
                Message answer = Message.read(agent.getInputStream(), false);
                if (answer == null) {
                    return;
                }
                Duration delay = delays.get(request.path);
                if (delay != null) {
                    Thread.sleep(delay.toMillis());
                }
                toClient.write(answer.bytes);
                toClient.flush();
                answers.computeIfAbsent(request.path, p -> new AtomicInteger()).incrementAndGet();
            }
        } catch (IOException e) {
            // The client or the agent closed the connection.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** One HTTP/1.1 message as bytes, read up to its Content-Length; {@code path} for requests. */
    private record Message(String path, byte[] bytes) {

        static Message read(InputStream in, boolean request) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int next;
            while (matched < 4 && (next = in.read()) >= 0) {
                head.write(next);
                matched = (next == '\r' || next == '\n') && "\r\n\r\n".charAt(matched) == next ? matched + 1 : 0;
            }
            if (matched < 4) {
                return null;
            }
            String headers = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            head.write(body);
            String path = null;
            if (request) {
                String target = headers.substring(0, headers.indexOf("\r\n")).split(" ")[1];
                path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            }
            return new Message(path, head.toByteArray());
        }
    }
}
