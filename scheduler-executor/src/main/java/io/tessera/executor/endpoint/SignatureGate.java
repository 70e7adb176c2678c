package io.tessera.executor.endpoint;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tessera.core.wire.BodyBufferBudget;
import io.tessera.core.wire.RequestSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits before the aggregator and looks at each request's head only: without the signature headers,
 * with a stale timestamp, or with a {@code Content-Length} over the limit, the request is answered
 * (401 or 413) and the connection closed before a byte of its body is buffered. The signature itself
 * covers the body, so {@link AgentRequestHandler} verifies it once the body is aggregated. Until then
 * the body is held unverified, so the bytes being received at once, over all connections, are bounded
 * by a budget shared by the endpoint: a request whose body does not fit now is answered 503 and its
 * connection closed, so that many connections with forged but fresh headers cannot fill the heap.
 * One instance per connection: it remembers to drop the rest of a refused request.
 */
final class SignatureGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SignatureGate.class);

    private final RequestSigner signer;
    private final long maxRequestBytes;
    private final BodyBufferBudget budget;
    private boolean refused;
    private BodyBufferBudget.Reservation receiving;

    SignatureGate(RequestSigner signer, long maxRequestBytes, BodyBufferBudget budget) {
        this.signer = signer;
        this.maxRequestBytes = maxRequestBytes;
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            release();
            refused = refuse(ctx, request) || overBudget(ctx, request);
        }
        if (refused) {
            ReferenceCountUtil.release(message);
            return;
        }
        boolean last = message instanceof LastHttpContent;
        ctx.fireChannelRead(message);
        if (last) {
            // The aggregated request has been handed on, and its signature checked, by now.
            release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    /** Reserves the body's bytes (the limit when chunked); @return whether the request was answered here instead */
    private boolean overBudget(ChannelHandlerContext ctx, HttpRequest request) {
        long length = HttpUtil.getContentLength(request, HttpUtil.isTransferEncodingChunked(request) ? maxRequestBytes : 0L);
        if (length <= 0) {
            return false;
        }
        receiving = budget.tryReserve((int) Math.min(length, maxRequestBytes));
        if (receiving != null) {
            return false;
        }
        String refusal = "too many request bodies are being received at once; try again";
        log.warn("refused {} {} from {} before reading its body: {}", request.method(), pathOf(request.uri()),
                ctx.channel().remoteAddress(), refusal);
        AgentReplies.error(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy", refusal)
                .addListener(ChannelFutureListener.CLOSE);
        return true;
    }

    private void release() {
        if (receiving != null) {
            receiving.close();
            receiving = null;
        }
    }

    /** @return whether the request was answered here */
    private boolean refuse(ChannelHandlerContext ctx, HttpRequest request) {
        String refusal = signer.checkHeaders(RequestSigner.SignatureHeaders.from(request.headers()::get));
        HttpResponseStatus status = HttpResponseStatus.UNAUTHORIZED;
        String error = "unauthorized";
        if (refusal == null && HttpUtil.getContentLength(request, -1L) > maxRequestBytes) {
            refusal = "the request body has " + HttpUtil.getContentLength(request, -1L) + " bytes; at most "
                    + maxRequestBytes + " are accepted";
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            error = "too_large";
        }
        if (refusal == null) {
            return false;
        }
        log.warn("refused {} {} from {} before reading its body: {}", request.method(), pathOf(request.uri()),
                ctx.channel().remoteAddress(), refusal);
        AgentReplies.error(ctx, false, status, error, refusal).addListener(ChannelFutureListener.CLOSE);
        return true;
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
