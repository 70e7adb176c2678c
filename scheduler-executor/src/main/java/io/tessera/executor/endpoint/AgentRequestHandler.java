package io.tessera.executor.endpoint;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tessera.core.wire.CanonicalQuery;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.LogRead;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.executor.run.BadTriggerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Authenticates every request with the cluster secret, routes it to the {@link AgentApi}, and
 * writes the reply as JSON. Replies may complete on another thread; Netty moves the write onto
 * the channel's event loop. Blocking work (reading logs) runs on the {@code blocking} executor.
 */
@ChannelHandler.Sharable
final class AgentRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AgentRequestHandler.class);
    private static final int MAX_LOG_READ = 1024 * 1024;
    /** The query parameters each path takes; the others take none. */
    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            WirePaths.LOG, Set.of("runId", "shard", "offset", "maxBytes"));

    private final AgentApi api;
    private final RequestSigner signer;
    private final Executor blocking;

    AgentRequestHandler(AgentApi api, RequestSigner signer, Executor blocking) {
        this.api = api;
        this.signer = signer;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long receivedNanos = System.nanoTime();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            error(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "bad_request", "not a valid HTTP request");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.rawPath();
        byte[] body = ByteBufUtil.getBytes(request.content());
        String refusal = signer.verify(request.method().name(), path, uri.rawQuery(),
                RequestSigner.SignatureHeaders.from(request.headers()::get), body);
        if (refusal != null) {
            log.warn("refused {} {} from {}: {}", request.method(), path, ctx.channel().remoteAddress(), refusal);
            error(ctx, keepAlive, HttpResponseStatus.UNAUTHORIZED, "unauthorized", refusal);
            return;
        }
        try {
            route(ctx, keepAlive, request.method(), path, query(path, uri.rawQuery()), body, receivedNanos);
        } catch (WireFormatException | BadTriggerException | IllegalArgumentException e) {
            error(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "bad_request", e.getMessage());
        }
    }

    /**
     * The query as it was signed ({@link CanonicalQuery}), by name. A parameter the path does not
     * take, or one given twice, is refused: what is read must be exactly what was signed.
     */
    private static Map<String, String> query(String path, String rawQuery) {
        Set<String> known = PARAMETERS.getOrDefault(path, Set.of());
        Map<String, String> parameters = new HashMap<>();
        for (CanonicalQuery.Parameter parameter : CanonicalQuery.parse(rawQuery).parameters()) {
            if (!known.contains(parameter.name())) {
                throw new IllegalArgumentException("unknown query parameter '" + parameter.name() + "'"
                        + (known.isEmpty() ? "; " + path + " takes none" : "; " + path + " takes " + new TreeSet<>(known)));
            }
            if (parameters.putIfAbsent(parameter.name(), parameter.value()) != null) {
                throw new IllegalArgumentException("query parameter '" + parameter.name() + "' is given more than once");
            }
        }
        return parameters;
    }

    private void route(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod method, String path,
                       Map<String, String> query, byte[] body, long receivedNanos) {
        switch (path) {
            case WirePaths.TRIGGER -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.POST)) {
                    TriggerRequest trigger = WireCodec.decode(body, TriggerRequest.class);
                    reply(ctx, keepAlive, api.trigger(trigger, receivedNanos).toCompletableFuture());
                }
            }
            case WirePaths.TRIGGERS -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.POST)) {
                    TriggerBatch batch = WireCodec.decode(body, TriggerBatch.class);
                    reply(ctx, keepAlive, api.trigger(batch, receivedNanos).toCompletableFuture());
                }
            }
            case WirePaths.KILL -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.POST)) {
                    write(ctx, keepAlive, HttpResponseStatus.OK, api.kill(WireCodec.decode(body, KillRequest.class)));
                }
            }
            case WirePaths.LOG -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.GET)) {
                    readLog(ctx, keepAlive, logRead(query));
                }
            }
            case WirePaths.STATUS -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.GET)) {
                    write(ctx, keepAlive, HttpResponseStatus.OK, api.status());
                }
            }
            default -> error(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "not_found", "no such path: " + path);
        }
    }

    private void readLog(ChannelHandlerContext ctx, boolean keepAlive, LogRead read) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        try {
            blocking.execute(() -> {
                try {
                    reply.complete(api.readLog(read).<Object>map(chunk -> chunk).orElse(null));
                } catch (Exception e) {
                    reply.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(e);
        }
        reply.whenComplete((chunk, error) -> {
            if (error != null) {
                error(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "log_unreadable", error.toString());
            } else if (chunk == null) {
                error(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "no_log",
                        "no log for run " + read.runId() + " shard " + read.shardIndex() + " on this executor");
            } else {
                write(ctx, keepAlive, HttpResponseStatus.OK, chunk);
            }
        });
    }

    private static LogRead logRead(Map<String, String> query) {
        long runId = number(query, "runId", null);
        long shard = number(query, "shard", null);
        long offset = number(query, "offset", 0L);
        long maxBytes = number(query, "maxBytes", (long) LogRead.DEFAULT_MAX_BYTES);
        atLeast("runId", runId, 0);
        atLeast("shard", shard, 0);
        atLeast("offset", offset, 0);
        atLeast("maxBytes", maxBytes, 1);
        if (shard > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("query parameter 'shard' is larger than " + Integer.MAX_VALUE);
        }
        return new LogRead(WireMessage.PROTOCOL_VERSION, runId, (int) shard, offset, (int) Math.min(maxBytes, MAX_LOG_READ));
    }

    private static void atLeast(String name, long value, long least) {
        if (value < least) {
            throw new IllegalArgumentException("query parameter '" + name + "' must be at least " + least + ", was " + value);
        }
    }

    private static long number(Map<String, String> query, String name, Long fallback) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            if (fallback == null) {
                throw new IllegalArgumentException("query parameter '" + name + "' is required");
            }
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter '" + name + "' is not a whole number: " + value);
        }
    }

    private boolean allowed(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod method, HttpMethod expected) {
        if (method.equals(expected)) {
            return true;
        }
        error(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use " + expected);
        return false;
    }

    private void reply(ChannelHandlerContext ctx, boolean keepAlive, CompletableFuture<?> reply) {
        reply.whenComplete((value, error) -> {
            if (error == null) {
                write(ctx, keepAlive, HttpResponseStatus.OK, value);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                log.error("request failed", cause);
                error(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", cause.toString());
            }
        });
    }

    private static void error(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String error, String message) {
        AgentReplies.error(ctx, keepAlive, status, error, message);
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
        AgentReplies.write(ctx, keepAlive, status, body);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
