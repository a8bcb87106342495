package io.asyncbench.vertx;

import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.HttpDate;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.EnumMap;
import java.util.Map;

/**
 * The spec's answers ({@code io.asyncbench.api.http}) through Vert.x's {@link HttpServerResponse}:
 * status and reason, then Server, Date, Content-Type, Content-Length (set, so Vert.x neither adds
 * its own nor chunks), Allow for 405 and Connection. Header names and values are Vert.x's
 * optimized {@code CharSequence} constants, encoded without charset work; the Date value is
 * formatted at most once a second (the api's {@link HttpDate}).
 *
 * <p>Vert.x answers in the request's HTTP version; the spec answers HTTP/1.1 whatever the
 * request's (RFC 9110 allows it), so {@link #VERSION} sets it on the way to the encoder.
 */
final class VertxHttpAnswers {

    private static final CharSequence SERVER = HttpHeaders.createOptimized("Server");
    private static final CharSequence DATE = HttpHeaders.createOptimized("Date");
    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence CONTENT_LENGTH = HttpHeaders.createOptimized("Content-Length");
    private static final CharSequence ALLOW = HttpHeaders.createOptimized("Allow");
    private static final CharSequence CONNECTION = HttpHeaders.createOptimized("Connection");
    private static final CharSequence ASYNCBENCH = HttpHeaders.createOptimized("asyncbench");
    private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

    private static final Map<ContentType, CharSequence> TYPES = new EnumMap<>(ContentType.class);

    static {
        for (ContentType type : ContentType.values()) {
            TYPES.put(type, HttpHeaders.createOptimized(type.mediaType()));
        }
    }

    static final byte[] PLAINTEXT = HttpResponses.plaintextBody();
    static final byte[] JSON = HttpResponses.jsonBody();

    /** Puts the spec's HTTP/1.1 on every response Vert.x writes; between Vert.x and the encoder. */
    static final ChannelOutboundHandlerAdapter VERSION = new Version();

    private static volatile DateValue date = new DateValue(Long.MIN_VALUE, "");

    private record DateValue(long second, CharSequence value) {
    }

    /**
     * Writes the answer and ends the response. {@code close}: the connection closes after it
     * (Connection: close). Returns the end's future: complete once the answer is written.
     */
    static Future<Void> send(HttpServerResponse response, HttpStatus status, ContentType type, Buffer body,
                             boolean close, HttpMethod allow) {
        response.setStatusCode(status.code()).setStatusMessage(status.reason());
        MultiMap headers = response.headers()
                .add(SERVER, ASYNCBENCH)
                .add(DATE, date())
                .add(CONTENT_TYPE, TYPES.get(type))
                .add(CONTENT_LENGTH, Integer.toString(body.length()));
        if (allow != null) {
            headers.add(ALLOW, allow.name());
        }
        if (close) {
            headers.add(CONNECTION, CLOSE);
        }
        return response.end(body);
    }

    /** An error status with its text/plain body ({@code "<code> <reason>\n"}). */
    static Future<Void> error(HttpServerResponse response, HttpStatus status, boolean close, HttpMethod allow) {
        return send(response, status, ContentType.TEXT_PLAIN, Buffer.buffer(status.errorBody()), close, allow);
    }

    private static CharSequence date() {
        long second = System.currentTimeMillis() / 1000;
        DateValue current = date;
        if (current.second() != second) {
            current = new DateValue(second, HttpHeaders.createOptimized(HttpDate.now()));
            date = current;
        }
        return current.value();
    }

    @Sharable
    private static final class Version extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.protocolVersion() != HttpVersion.HTTP_1_1) {
                response.setProtocolVersion(HttpVersion.HTTP_1_1);
            }
            ctx.write(msg, promise);
        }
    }

    private VertxHttpAnswers() {
    }
}
