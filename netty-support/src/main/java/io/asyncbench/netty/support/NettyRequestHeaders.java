package io.asyncbench.netty.support;

import io.asyncbench.api.Limits;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * A request's headers as the codec decodes them, with Netty's own validation, that also count the
 * Host and Content-Length fields as they arrive: the codec merges duplicate Content-Length fields
 * of an HTTP/1.0 request into the first one's value before a handler sees them, and the spec
 * refuses any duplicate of either (io.asyncbench.api.http, "Request syntax").
 */
public final class NettyRequestHeaders extends DefaultHttpHeaders {

    private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory();

    /** For {@code HttpDecoderConfig.setHeadersFactory}: requests' headers are these. */
    public static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new NettyRequestHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return VALIDATING.newEmptyHeaders();
        }
    };

    private int hostFields;
    private int contentLengthFields;

    private NettyRequestHeaders() {
        super(VALIDATING.getNameValidator(), VALIDATING.getValueValidator());
    }

    /**
     * The request decoder's configuration for {@code limits}, with these headers: what Netty's
     * defaults, and the options of the libraries on Netty, do not set as the spec needs.
     */
    public static HttpDecoderConfig decoderConfig(Limits limits) {
        return new HttpDecoderConfig()
                // Netty bounds the request line and the headers each; the handler checks their sum.
                .setMaxInitialLineLength(limits.maxHeaderBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                // Body pieces of at most one read buffer.
                .setMaxChunkSize(limits.readBufferSize())
                // The spec takes a bare LF as a line end, as RFC 9112 allows; Netty 4.2 would not.
                .setStrictLineParsing(false)
                .setHeadersFactory(FACTORY);
    }

    /** Host field lines received. */
    public int hostFields() {
        return hostFields;
    }

    /** Content-Length field lines received. */
    public int contentLengthFields() {
        return contentLengthFields;
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        // The decoder adds every field line through here; a length test keeps other names cheap.
        int length = name.length();
        if (length == 4 && HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
            hostFields++;
        } else if (length == 14 && HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
            contentLengthFields++;
        }
        return super.add(name, value);
    }
}
