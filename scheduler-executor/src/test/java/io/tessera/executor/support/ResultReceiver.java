package io.tessera.executor.support;

import com.sun.net.httpserver.HttpServer;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin's results endpoint, as a real HTTP server: checks signatures, answers 503 while "down",
 * and counts the requests it stored.
 */
public final class ResultReceiver implements Closeable {

    private final HttpServer server;
    private final RequestSigner signer = new RequestSigner(Agents.SECRET);
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<ResultBatch> batches = new CopyOnWriteArrayList<>();
    private final List<ShardResult> received = new CopyOnWriteArrayList<>();
    private final List<Integer> bodySizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger tooLarge = new AtomicInteger();

    public ResultReceiver() throws IOException {
        this(Integer.MAX_VALUE);
    }

    /** @param maxBodyBytes larger reports are answered 413, as the admin's {@code tessera.executor-results.max-body-bytes} */
    public ResultReceiver(int maxBodyBytes) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(WirePaths.RESULTS, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            bodySizes.add(body.length);
            if (body.length > maxBodyBytes) {
                tooLarge.incrementAndGet();
                exchange.sendResponseHeaders(413, -1);
                exchange.close();
                return;
            }
            String problem = signer.verify(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    RequestSigner.SignatureHeaders.from(exchange.getRequestHeaders()::getFirst), body);
            int status;
            byte[] reply;
            if (problem != null) {
                status = 401;
                reply = problem.getBytes(StandardCharsets.UTF_8);
            } else if (!up.get()) {
                refused.incrementAndGet();
                status = 503;
                reply = "down for the test".getBytes(StandardCharsets.UTF_8);
            } else {
                ResultBatch batch = WireCodec.decode(body, ResultBatch.class);
                batches.add(batch);
                received.addAll(batch.results());
                status = 200;
                reply = WireCodec.encode(new ResultBatchAck(WireMessage.PROTOCOL_VERSION, batch.results().size(), 0));
            }
            exchange.sendResponseHeaders(status, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void up(boolean up) {
        this.up.set(up);
    }

    /** Requests answered 503 while down. */
    public int refused() {
        return refused.get();
    }

    /** Every batch stored, one per request. */
    public List<ResultBatch> batches() {
        return batches;
    }

    /** The size of every report's body, refused ones included. */
    public List<Integer> bodySizes() {
        return bodySizes;
    }

    /** Reports answered 413. */
    public int tooLarge() {
        return tooLarge.get();
    }

    public List<ShardResult> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
