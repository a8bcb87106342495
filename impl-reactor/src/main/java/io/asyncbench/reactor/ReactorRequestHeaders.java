package io.asyncbench.reactor;

import io.asyncbench.api.Limits;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * A request's headers as the codec decodes them, with Netty's validation, counting the Host and
 * Content-Length field lines as they arrive: the codec merges duplicate Content-Length fields of
 * an HTTP/1.0 request into one before anybody sees them, and the spec refuses any duplicate.
 */
final class ReactorRequestHeaders extends DefaultHttpHeaders {

    private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory();

    private static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new ReactorRequestHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return VALIDATING.newEmptyHeaders();
        }
    };

    int hostFields;
    int contentLengthFields;

    private ReactorRequestHeaders() {
        super(VALIDATING.getNameValidator(), VALIDATING.getValueValidator());
    }

    /**
     * The codec that replaces reactor-netty's own under its name. {@code httpRequestDecoder}
     * sets the limits but not what the spec also needs: a bare LF as a line end (Netty 4.2's
     * strict line parsing, on by default, refuses it) and these counting headers; and no
     * pipelining cap in the encoder (reactor-netty queues pipelined requests itself).
     */
    static HttpServerCodec codec(Limits limits) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxHeaderBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(limits.readBufferSize())
                .setStrictLineParsing(false)
                .setHeadersFactory(FACTORY);
        return new HttpServerCodec(config, Integer.MAX_VALUE);
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
