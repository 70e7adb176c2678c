package io.tessera.executor.support;

import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WirePaths;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What the admin will do: signed HTTP calls to an agent's endpoint. */
public final class SignedClient {

    /** An explicit executor: on a 2-CPU machine the default one starts a thread per async completion. */
    private static final java.util.concurrent.ExecutorService EXECUTOR = java.util.concurrent.Executors.newFixedThreadPool(4, task -> {
        Thread thread = new Thread(task, "test-http-client");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http;
    private final RequestSigner signer;
    private final String scheme;

    public SignedClient(String secret) {
        this(secret, null);
    }

    /** Calls over https with this context (its trust and, for mutual TLS, its certificate); plaintext when null. */
    public SignedClient(String secret, javax.net.ssl.SSLContext tls) {
        this.signer = new RequestSigner(secret);
        this.scheme = tls == null ? "http" : "https";
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(EXECUTOR);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public SignedClient() {
        this(Agents.SECRET);
    }

    public TriggerReply trigger(String address, TriggerRequest trigger) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = post(address, WirePaths.TRIGGER, WireCodec.encode(trigger));
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + new String(response.body()));
        }
        return WireCodec.decode(response.body(), TriggerReply.class);
    }

    public CompletableFuture<TriggerReply> triggerAsync(String address, TriggerRequest trigger) {
        return http.sendAsync(signed("POST", address, WirePaths.TRIGGER, "", WireCodec.encode(trigger)),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + new String(response.body()));
                    }
                    return WireCodec.decode(response.body(), TriggerReply.class);
                });
    }

    public TriggerBatchReply triggerBatch(String address, TriggerBatch batch) {
        return triggerBatchAsync(address, batch).join();
    }

    public CompletableFuture<TriggerBatchReply> triggerBatchAsync(String address, TriggerBatch batch) {
        return http.sendAsync(signed("POST", address, WirePaths.TRIGGERS, "", WireCodec.encode(batch)),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + new String(response.body()));
                    }
                    return WireCodec.decode(response.body(), TriggerBatchReply.class);
                });
    }

    public HttpResponse<byte[]> post(String address, String path, byte[] body) throws IOException, InterruptedException {
        return http.send(signed("POST", address, path, "", body), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> get(String address, String path, String query) throws IOException, InterruptedException {
        return http.send(signed("GET", address, path, query, new byte[0]), HttpResponse.BodyHandlers.ofByteArray());
    }

    public <T> T get(String address, String path, String query, Class<T> type) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(address, path, query);
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + new String(response.body()));
        }
        return WireCodec.decode(response.body(), type);
    }

    /**
     * Sends exactly these headers (e.g. {@link RequestSigner.Signature#headers()}, or none), for tests of
     * refused requests.
     *
     * @param pathAndQuery the path, and {@code ?query} when there is one
     */
    public HttpResponse<byte[]> raw(String method, String address, String pathAndQuery, byte[] body,
                                    Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(scheme + "://" + address + pathAndQuery))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest signed(String method, String address, String path, String query, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + address + path + (query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, "GET".equals(method) ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign(method, path, query, "GET".equals(method) ? null : body).headers().forEach(request::header);
        return request.build();
    }
}
