package io.tessera.executor.endpoint;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.tessera.core.wire.BodyBufferBudget;
import io.tessera.core.wire.RequestSigner;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline per connection: TLS when configured, idle detection, HTTP codec, keep-alive, the
 * signature gate (on the request's head, before anything is buffered), a bounded aggregator, the request
 * handler. With TLS, bytes that are not a TLS record close the connection before any HTTP is read.
 */
final class AgentChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final AgentRequestHandler handler;
    private final RequestSigner signer;
    private final int maxRequestBytes;
    private final Duration idleTimeout;
    private final SslContext tls;
    private final BodyBufferBudget bodies;

    /** @param tls null for plaintext HTTP */
    AgentChannelInitializer(AgentRequestHandler handler, RequestSigner signer, int maxRequestBytes, Duration idleTimeout,
                            SslContext tls) {
        this.handler = handler;
        this.signer = signer;
        this.maxRequestBytes = maxRequestBytes;
        this.idleTimeout = idleTimeout;
        this.tls = tls;
        this.bodies = new BodyBufferBudget(bodyBudget(maxRequestBytes));
    }

    /**
     * Bytes of unverified request bodies held at once over all connections: room for many ordinary
     * requests (trigger batches are kilobytes) and for a few at the size limit.
     */
    static int bodyBudget(int maxRequestBytes) {
        return Math.max(32 * 1024 * 1024, 4 * maxRequestBytes);
    }

    boolean tls() {
        return tls != null;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (tls != null) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("idleClose", new IdleCloser())
                .addLast("http", new HttpServerCodec())
                .addLast("keepAlive", new HttpServerKeepAliveHandler())
                .addLast("signatureGate", new SignatureGate(signer, maxRequestBytes, bodies))
                .addLast("aggregate", new WireAggregator(maxRequestBytes))
                .addLast("agent", handler);
    }
}
