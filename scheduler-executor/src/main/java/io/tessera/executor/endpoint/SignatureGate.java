package io.tessera.executor.endpoint;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.tessera.core.wire.RequestSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits before the aggregator and looks at each request's head only: without the signature headers,
 * with a stale timestamp, or with a {@code Content-Length} over the limit, the request is answered
 * (401 or 413) and the connection closed before a byte of its body is buffered. The signature itself
 * covers the body, so {@link AgentRequestHandler} verifies it once the body is aggregated.
 * One instance per connection: it remembers to drop the rest of a refused request.
 */
final class SignatureGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SignatureGate.class);

    private final RequestSigner signer;
    private final long maxRequestBytes;
    private boolean refused;

    SignatureGate(RequestSigner signer, long maxRequestBytes) {
        this.signer = signer;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            refused = refuse(ctx, request);
        }
        if (refused) {
            ReferenceCountUtil.release(message);
        } else {
            ctx.fireChannelRead(message);
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
