package io.tessera.executor.report;

import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.WireCodec;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** POSTs a signed {@link ResultBatch} to the admin, over https when its URL says so, and expects a {@link ResultBatchAck} (HTTP 200). */
public final class HttpResultReporter implements ResultReporter {

    private final HttpClient client;
    private final RequestSigner signer;
    private final Duration timeout;

    public HttpResultReporter(RequestSigner signer, Duration timeout, Executor executor) {
        this(signer, timeout, executor, null);
    }

    /** @param trust which https admins to trust ({@link AdminTrust}); null for the JDK's default trust store */
    public HttpResultReporter(RequestSigner signer, Duration timeout, Executor executor, SSLContext trust) {
        this.signer = signer;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).executor(executor);
        if (trust != null) {
            builder.sslContext(trust);
        }
        this.client = builder.build();
    }

    @Override
    public CompletionStage<ResultBatchAck> report(ResultBatch batch, URI target) {
        byte[] body = WireCodec.encode(batch);
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign("POST", target.getRawPath(), target.getRawQuery(), body).headers().forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new ReportRefusedException(target + " answered HTTP " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return WireCodec.decode(response.body(), ResultBatchAck.class);
        });
    }

    /** The admin answered, but not with an acknowledgement. */
    public static final class ReportRefusedException extends RuntimeException {
        public ReportRefusedException(String message) {
            super(message);
        }
    }
}
