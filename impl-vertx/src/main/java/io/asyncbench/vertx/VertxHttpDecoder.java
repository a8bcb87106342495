package io.asyncbench.vertx;

import io.asyncbench.api.Limits;
import io.asyncbench.netty.support.NettyRequestHead;
import io.asyncbench.netty.support.NettyRequestHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * The request decoder of a Vert.x HTTP connection, put in place of Vert.x's own: the same Netty
 * {@link HttpRequestDecoder} Vert.x's extends, configured where Vert.x's options do not reach.
 * <ul>
 *   <li>A bare LF ends a line, as RFC 9112 allows and the spec takes (Netty 4.2, and so Vert.x,
 *       refuse it by default).</li>
 *   <li>Headers that count their Host and Content-Length fields as they arrive
 *       ({@link NettyRequestHeaders}).</li>
 *   <li>It tells the connection where heads and requests end ({@link VertxHttpClock} times heads
 *       from their first byte) and hands it each decoded head, in order, as Netty decoded it: the
 *       version exactly as spelled, the decoder's sizes.</li>
 * </ul>
 */
final class VertxHttpDecoder extends HttpRequestDecoder {

    private final VertxHttpServer.Connection connection;
    private final int maxHeaderBytes;

    VertxHttpDecoder(Limits limits, VertxHttpServer.Connection connection) {
        super(NettyRequestHeaders.decoderConfig(limits));
        this.connection = connection;
        this.maxHeaderBytes = limits.maxHeaderBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest head) {
                NettyRequestHead.addBlankLines(head, connection.clock().headEnded(), maxHeaderBytes);
                connection.decoded(head);
            }
            if (msg instanceof LastHttpContent) {
                connection.clock().requestEnded();
            }
        }
    }
}
