package io.tessera.executor.endpoint;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tessera.core.wire.RequestSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The agent's HTTP/1.1 endpoint, over TLS when given a context: binds, serves through {@link AgentChannelInitializer}, closes. */
public final class AgentServer implements Closeable {

    private enum State { LATENT, STARTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final String bindHost;
    private final int port;
    private final AgentChannelInitializer initializer;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

    public AgentServer(String bindHost, int port, AgentApi api, RequestSigner signer, int maxRequestBytes,
                       Duration idleTimeout, Executor blocking) {
        this(bindHost, port, api, signer, maxRequestBytes, idleTimeout, blocking, null);
    }

    /** @param tls the server-side TLS context ({@link AgentTls}); null for plaintext HTTP */
    public AgentServer(String bindHost, int port, AgentApi api, RequestSigner signer, int maxRequestBytes,
                       Duration idleTimeout, Executor blocking, SslContext tls) {
        this.bindHost = bindHost;
        this.port = port;
        this.initializer = new AgentChannelInitializer(new AgentRequestHandler(api, signer, blocking), signer, maxRequestBytes,
                idleTimeout, tls);
    }

    /** Binds and returns the port listened on (the real one when 0 was asked). */
    public int start() throws InterruptedException {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the endpoint can be started once");
        }
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("tessera-http-boss", true));
        workers = new NioEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("tessera-http", true));
        try {
            channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(bindHost, port).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        int bound = ((InetSocketAddress) channel.localAddress()).getPort();
        log.info("endpoint listening on {}:{} ({})", bindHost, bound, initializer.tls() ? "https" : "http");
        return bound;
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
