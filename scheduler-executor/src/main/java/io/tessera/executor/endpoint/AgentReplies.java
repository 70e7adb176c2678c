package io.tessera.executor.endpoint;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;

/** Writes the endpoint's JSON answers: a wire message, or an {@link ErrorReply}. */
final class AgentReplies {

    private AgentReplies() {
    }

    static ChannelFuture error(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String error,
                               String message) {
        return write(ctx, keepAlive, status, new ErrorReply(WireMessage.PROTOCOL_VERSION, error, message));
    }

    static ChannelFuture write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
        byte[] json = WireCodec.encode(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        return ctx.writeAndFlush(response);
    }
}
