package io.tessera.executor.endpoint;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;

/**
 * Netty's aggregator, except that its own refusals (a body over the limit, an {@code Expect} it
 * cannot meet) are {@link ErrorReply} documents like every other answer of the endpoint, not empty
 * bodies without a content type.
 */
final class WireAggregator extends HttpObjectAggregator {

    WireAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (!(response instanceof FullHttpResponse refusal) || refusal.status().code() < 400) {
            return response;
        }
        HttpResponseStatus status = refusal.status();
        ReferenceCountUtil.release(refusal);
        return status.equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)
                ? tooLarge(maxContentLength)
                : reply(status, "expectation_failed", "header 'Expect' asks for what this endpoint does not do: "
                + start.headers().get(HttpHeaderNames.EXPECT));
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        ReferenceCountUtil.release(oversized);
        FullHttpResponse response = tooLarge(maxContentLength());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse tooLarge(int maxContentLength) {
        return reply(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "the request body is larger than the " + maxContentLength + " bytes this endpoint accepts");
    }

    private static FullHttpResponse reply(HttpResponseStatus status, String error, String message) {
        byte[] json = WireCodec.encode(new ErrorReply(WireMessage.PROTOCOL_VERSION, error, message));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        return response;
    }
}
