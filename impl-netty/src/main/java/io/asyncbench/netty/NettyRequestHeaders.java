package io.asyncbench.netty;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * A request's headers as the codec decodes them, with Netty's own validation, that also count the
 * Host and Content-Length fields as they arrive: the codec merges duplicate Content-Length fields
 * of an HTTP/1.0 request into the first one's value before a handler sees them, and the spec
 * refuses any duplicate of either (io.asyncbench.api.http, "Request syntax").
 */
final class NettyRequestHeaders extends DefaultHttpHeaders {

    private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory();

    /** For {@code HttpDecoderConfig.setHeadersFactory}: requests' headers are these. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
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

    /** Host field lines received. */
    int hostFields() {
        return hostFields;
    }

    /** Content-Length field lines received. */
    int contentLengthFields() {
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
