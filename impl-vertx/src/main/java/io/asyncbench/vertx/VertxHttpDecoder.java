package io.asyncbench.vertx;

import io.asyncbench.api.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.util.List;

/**
 * The request decoder of a Vert.x HTTP connection, put in place of Vert.x's own: the same Netty
 * {@link HttpRequestDecoder} Vert.x's extends, configured where Vert.x's options do not reach.
 * <ul>
 *   <li>A bare LF ends a line, as RFC 9112 allows and the spec takes (Netty 4.2, and so Vert.x,
 *       refuse it by default).</li>
 *   <li>Headers that count their Host and Content-Length fields as they arrive: the decoder merges
 *       duplicate Content-Length fields of an HTTP/1.0 request before anyone sees them, and the
 *       spec refuses any duplicate of either.</li>
 *   <li>It tells the connection where heads and requests end ({@link VertxHttpClock} times heads
 *       from their first byte) and hands it each decoded head, in order, as Netty decoded it: the
 *       version exactly as spelled, the decoder's sizes.</li>
 * </ul>
 */
final class VertxHttpDecoder extends HttpRequestDecoder {

    private final VertxHttpServer.Connection connection;
    private final int maxHeaderBytes;

    VertxHttpDecoder(Limits limits, VertxHttpServer.Connection connection) {
        super(new HttpDecoderConfig()
                // Netty bounds the request line and the headers each; the connection checks their sum.
                .setMaxInitialLineLength(limits.maxHeaderBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(limits.readBufferSize())
                .setStrictLineParsing(false)
                .setHeadersFactory(CountedHeaders.FACTORY));
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
                int blankBytes = connection.clock().headEnded();
                if (blankBytes > 0 && head.decoderResult() instanceof HttpMessageDecoderResult sizes
                        && sizes.totalSize() + blankBytes > maxHeaderBytes) {
                    // The blank lines before it count toward the limit too: refused as too large.
                    head.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException(
                            "request line and headers, and the blank lines before them, exceed "
                                    + maxHeaderBytes + " bytes")));
                }
                connection.decoded(head);
            }
            if (msg instanceof LastHttpContent) {
                connection.clock().requestEnded();
            }
        }
    }

    /** Netty's validating headers, counting the Host and Content-Length field lines received. */
    static final class CountedHeaders extends DefaultHttpHeaders {

        private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory();

        static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
            @Override
            public HttpHeaders newHeaders() {
                return new CountedHeaders();
            }

            @Override
            public HttpHeaders newEmptyHeaders() {
                return VALIDATING.newEmptyHeaders();
            }
        };

        private int hostFields;
        private int contentLengthFields;

        private CountedHeaders() {
            super(VALIDATING.getNameValidator(), VALIDATING.getValueValidator());
        }

        int hostFields() {
            return hostFields;
        }

        int contentLengthFields() {
            return contentLengthFields;
        }

        @Override
        public HttpHeaders add(CharSequence name, Object value) {
            int length = name.length();
            if (length == 4 && HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
                hostFields++;
            } else if (length == 14 && HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                contentLengthFields++;
            }
            return super.add(name, value);
        }
    }
}
