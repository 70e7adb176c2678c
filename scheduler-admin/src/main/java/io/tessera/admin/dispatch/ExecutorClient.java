package io.tessera.admin.dispatch;

import io.tessera.core.wire.CanonicalQuery;
import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.KillReply;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.LogChunk;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.WireMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.wire.WirePaths;

import javax.net.ssl.SSLContext;
import java.io.Closeable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Signed, asynchronous calls from an admin to executors' endpoints, over https to those whose card says so.
 * Connections are pooled and kept alive by the JDK client, so a busy leader does not pay a TCP (or TLS)
 * handshake per trigger.
 */
public final class ExecutorClient implements Closeable {

    private final RequestSigner signer;
    private final Duration timeout;
    private final ExecutorService threads;
    private final HttpClient http;
    private final Function<String, String> schemes;

    /** Calls every executor over plaintext HTTP. */
    public ExecutorClient(RequestSigner signer, Duration timeout) {
        this(signer, timeout, null, address -> "http");
    }

    /**
     * @param tls     trust and client certificate for https executors ({@link AdminTls}); null for the JDK's defaults
     * @param schemes the scheme ({@code http} or {@code https}) of the executor at an address, as its card says
     */
    public ExecutorClient(RequestSigner signer, Duration timeout, SSLContext tls, Function<String, String> schemes) {
        this.signer = signer;
        this.timeout = timeout;
        this.schemes = schemes;
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "tessera-executor-client-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(threads);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public CompletableFuture<TriggerReply> trigger(String address, TriggerRequest request) {
        return post(address, WirePaths.TRIGGER, request, TriggerReply.class);
    }

    /** Several triggers to one executor in one request; the replies come in the same order. */
    public CompletableFuture<TriggerBatchReply> triggerAll(String address, List<TriggerRequest> requests) {
        return post(address, WirePaths.TRIGGERS, new TriggerBatch(WireMessage.PROTOCOL_VERSION, requests), TriggerBatchReply.class);
    }

    public CompletableFuture<KillReply> kill(String address, KillRequest request) {
        return post(address, WirePaths.KILL, request, KillReply.class);
    }

    public CompletableFuture<LogChunk> log(String address, long runId, int shard, long offset, int maxBytes) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("runId", runId);
        query.put("shard", shard);
        query.put("offset", offset);
        query.put("maxBytes", maxBytes);
        return get(address, WirePaths.LOG, CanonicalQuery.format(query), LogChunk.class);
    }

    public CompletableFuture<ExecutorStatus> status(String address) {
        return get(address, WirePaths.STATUS, "", ExecutorStatus.class);
    }

    /** Never throws: whatever goes wrong, including an address the HTTP client refuses, fails the future. */
    private <T> CompletableFuture<T> post(String address, String path, Object body, Class<T> replyType) {
        try {
            return postNow(address, path, body, replyType);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> CompletableFuture<T> postNow(String address, String path, Object body, Class<T> replyType) {
        byte[] bytes = WireCodec.encode(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(address, path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signer.sign("POST", path, bytes).headers().forEach(request::header);
        return send(address, path, request.build(), replyType);
    }

    private <T> CompletableFuture<T> get(String address, String path, String query, Class<T> replyType) {
        try {
            return getNow(address, path, query, replyType);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** @param query the raw query, signed with the rest (see {@link RequestSigner}); empty for none */
    private <T> CompletableFuture<T> getNow(String address, String path, String query, Class<T> replyType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(address, path + (query.isEmpty() ? "" : "?" + query)))
                .timeout(timeout)
                .GET();
        signer.sign("GET", path, query, null).headers().forEach(request::header);
        return send(address, path, request.build(), replyType);
    }

    private URI uri(String address, String pathAndQuery) {
        return URI.create(schemes.apply(address) + "://" + address + pathAndQuery);
    }

    private <T> CompletableFuture<T> send(String address, String path, HttpRequest request, Class<T> replyType) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                String detail;
                try {
                    detail = WireCodec.decode(response.body(), ErrorReply.class).message();
                } catch (WireFormatException e) {
                    detail = "no error body";
                }
                throw new ExecutorCallException(address, path, response.statusCode(), detail);
            }
            return WireCodec.decode(response.body(), replyType);
        });
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** An executor answered with an HTTP error. */
    public static final class ExecutorCallException extends RuntimeException {
        private final int status;

        public ExecutorCallException(String address, String path, int status, String detail) {
            super("executor " + address + " answered " + path + " with HTTP " + status + ": " + detail);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
