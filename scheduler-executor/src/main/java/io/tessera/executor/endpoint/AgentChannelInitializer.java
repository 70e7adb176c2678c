package io.tessera.executor.endpoint;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One pipeline per connection: HTTP codec, idle detection, keep-alive, a bounded aggregator, the request handler. */
final class AgentChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final AgentRequestHandler handler;
    private final int maxRequestBytes;
    private final Duration idleTimeout;

    AgentChannelInitializer(AgentRequestHandler handler, int maxRequestBytes, Duration idleTimeout) {
        this.handler = handler;
        this.maxRequestBytes = maxRequestBytes;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("idleClose", new IdleCloser())
                .addLast("http", new HttpServerCodec())
                .addLast("keepAlive", new HttpServerKeepAliveHandler())
                .addLast("aggregate", new WireAggregator(maxRequestBytes))
                .addLast("agent", handler);
    }
}
