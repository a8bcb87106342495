package io.asyncbench.netty;

import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.HttpDate;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.EnumMap;
import java.util.Map;

/**
 * The responses of {@code io.asyncbench.api.http} as Netty {@link FullHttpResponse}s, for
 * {@code HttpServerCodec} to encode: the same status lines, headers (names in the spec's case, in
 * the spec's order) and bodies as {@link io.asyncbench.api.http.HttpResponse#encode()}, byte for
 * byte. Built the way Netty's TechEmpower entry builds them: {@link AsciiString} constants, which
 * the encoder copies without charset work, fixed bodies in shared read-only direct buffers, a Date
 * value formatted once a second, and headers without validation (every name and value is ours).
 */
final class NettyHttpResponses {

    // The spec's header names, in its case (Netty's HttpHeaderNames are lower case).
    private static final AsciiString SERVER = AsciiString.cached("Server");
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString ALLOW = AsciiString.cached("Allow");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");

    private static final AsciiString ASYNCBENCH = AsciiString.cached("asyncbench");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");

    private static final HttpHeadersFactory HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** Netty's reason phrases differ from the spec's (413 is "Request Entity Too Large" there). */
    private static final Map<HttpStatus, HttpResponseStatus> STATUSES = new EnumMap<>(HttpStatus.class);
    private static final Map<HttpStatus, ByteBuf> ERROR_BODIES = new EnumMap<>(HttpStatus.class);
    private static final Map<ContentType, AsciiString> TYPES = new EnumMap<>(ContentType.class);

    static {
        for (HttpStatus status : HttpStatus.values()) {
            STATUSES.put(status, new HttpResponseStatus(status.code(), status.reason()));
            ERROR_BODIES.put(status, shared(status.errorBody()));
        }
        for (ContentType type : ContentType.values()) {
            TYPES.put(type, AsciiString.cached(type.mediaType()));
        }
    }

    private static final ByteBuf PLAINTEXT = shared(HttpResponses.plaintextBody());
    private static final ByteBuf JSON = shared(HttpResponses.jsonBody());

    /** The Date header's value and the second it is for; shared by every loop, like HttpDate's. */
    private record Date(long second, AsciiString value) {
    }

    private static volatile Date date = new Date(Long.MIN_VALUE, AsciiString.EMPTY_STRING);

    /** The body of /plaintext: a view of a shared buffer that ignores release. */
    static ByteBuf plaintext() {
        return PLAINTEXT.duplicate();
    }

    /** The body of /json. */
    static ByteBuf json() {
        return JSON.duplicate();
    }

    /** {@code HTTP/1.1 100 Continue}, the interim answer to {@code Expect: 100-continue}. */
    static FullHttpResponse continueResponse() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, STATUSES.get(HttpStatus.CONTINUE),
                Unpooled.EMPTY_BUFFER, HEADERS.newHeaders(), EmptyHttpHeaders.INSTANCE);
    }

    /** An error status with its text/plain body ({@code "<code> <reason>\n"}). */
    static FullHttpResponse error(HttpStatus status, boolean close, boolean keepAlive10, HttpMethod allow) {
        return response(status, ContentType.TEXT_PLAIN, ERROR_BODIES.get(status).duplicate(), close,
                keepAlive10, allow);
    }

    /**
     * A response with the spec's headers: Server, Date, Content-Type, Content-Length, then Allow
     * (405) and Connection ({@code close}, or {@code keep-alive} for an HTTP/1.0 client that
     * asked). Takes ownership of {@code content}.
     */
    static FullHttpResponse response(HttpStatus status, ContentType type, ByteBuf content,
                                     boolean close, boolean keepAlive10, HttpMethod allow) {
        HttpHeaders headers = HEADERS.newHeaders()
                .set(SERVER, ASYNCBENCH)
                .set(DATE, date())
                .set(CONTENT_TYPE, TYPES.get(type))
                .setInt(CONTENT_LENGTH, content.readableBytes());
        if (allow != null) {
            headers.set(ALLOW, allow.name());
        }
        if (close) {
            headers.set(CONNECTION, CLOSE);
        } else if (keepAlive10) {
            headers.set(CONNECTION, KEEP_ALIVE);
        }
        // The spec answers HTTP/1.1 whatever the request's version, as RFC 9110 allows.
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, STATUSES.get(status), content,
                headers, EmptyHttpHeaders.INSTANCE);
    }

    /** The Date value, formatted by the api's HttpDate at most once a second (TechEmpower's rule). */
    private static AsciiString date() {
        long second = System.currentTimeMillis() / 1000;
        Date current = date;
        if (current.second() != second) {
            current = new Date(second, new AsciiString(HttpDate.now()));
            date = current;
        }
        return current.value();
    }

    /** A direct buffer every connection may read through its own duplicate; never freed. */
    private static ByteBuf shared(byte[] bytes) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes));
    }

    private NettyHttpResponses() {
    }
}
