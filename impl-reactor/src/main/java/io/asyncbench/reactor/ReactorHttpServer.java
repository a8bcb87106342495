package io.asyncbench.reactor;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpDate;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.api.http.HttpSyntax;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The http workload as a reactor-netty {@code HttpServer}: one handler function from a request
 * to the {@code Mono<Void>} of its answer. {@code /delay} is {@code Mono.delay} on the
 * connection's own event loop, {@code /echo} is the aggregated body sent back, {@code /fanout}
 * is the gateway's (else 404). reactor-netty answers pipelined requests in order (the gate
 * hands them on one at a time), and its {@code idleTimeout} closes an idle connection.
 *
 * <p>What reactor-netty has no setting for is three small handlers put in by
 * {@code doOnChannelInit} around its codec: {@link ReactorHeadClock} in front of it (the head
 * deadline, blank lines), {@link ReactorRequestGate} behind it (the spec's request syntax and
 * statuses, the closing rule, reading no more while the client does not read its answers), and
 * the codec itself, replaced by one configured as the spec needs ({@link ReactorHttpCodec}).
 */
final class ReactorHttpServer {

    /** The gateway's part: the body of a {@code /fanout} answer, or an HttpException with its status. */
    @FunctionalInterface
    interface FanOut {
        Mono<ByteBuf> call(int k, int ms, EventExecutor loop, Scheduler onLoop);
    }

    private static final AsciiString SERVER = AsciiString.cached("Server");
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString ALLOW = AsciiString.cached("Allow");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString ASYNCBENCH = AsciiString.cached("asyncbench");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");

    /** The spec's reason phrases (Netty's 413 is "Request Entity Too Large"). */
    private static final Map<HttpStatus, HttpResponseStatus> STATUSES = new EnumMap<>(HttpStatus.class);
    private static final Map<ContentType, AsciiString> TYPES = new EnumMap<>(ContentType.class);

    static {
        for (HttpStatus status : HttpStatus.values()) {
            STATUSES.put(status, new HttpResponseStatus(status.code(), status.reason()));
        }
        for (ContentType type : ContentType.values()) {
            TYPES.put(type, AsciiString.cached(type.mediaType()));
        }
    }

    private static final ByteBuf PLAINTEXT = shared(HttpResponses.plaintextBody());
    private static final ByteBuf JSON = shared(HttpResponses.jsonBody());

    private final ServerCounters counters;
    private final FanOut fanOut;
    /** {@code Mono.delay} on the loop of the connection that asked: one Scheduler per loop. */
    private final Map<EventExecutor, Scheduler> onLoop = new HashMap<>();

    private ReactorHttpServer(ServerCounters counters, ReactorLoops loops, FanOut fanOut) {
        this.counters = counters;
        this.fanOut = fanOut;
        for (EventExecutor loop : loops.group()) {
            onLoop.put(loop, Schedulers.fromExecutorService(loop, "asyncbench-reactor-loop"));
        }
    }

    static ReactorServer start(ServerSpec spec) throws IOException {
        return start(spec, ReactorServer.loops(spec), new ReactorConnections(spec, new ServerCounters()), null);
    }

    /** An http server on {@code loops} whose {@code /fanout} is {@code fanOut} (null: 404). */
    static ReactorServer start(ServerSpec spec, ReactorLoops loops, ReactorConnections connections, FanOut fanOut,
                               Disposable... owned) throws IOException {
        Limits limits = spec.limits();
        ReactorHttpServer http = new ReactorHttpServer(connections.counters(), loops, fanOut);
        HttpServer server = HttpServer.create()
                .idleTimeout(limits.idleTimeout())
                .doOnChannelInit((observer, channel, remote) -> {
                    ChannelPipeline pipeline = channel.pipeline();
                    pipeline.replace(NettyPipeline.HttpCodec, NettyPipeline.HttpCodec, ReactorHttpCodec.create(limits));
                    pipeline.addBefore(NettyPipeline.HttpCodec, ReactorHeadClock.NAME,
                            new ReactorHeadClock(limits.headDeadline().toNanos(), limits.maxHeaderBytes(),
                                    connections.counters(), connections::closing));
                    pipeline.addAfter(NettyPipeline.HttpCodec, ReactorRequestGate.NAME,
                            new ReactorRequestGate(connections.counters(), limits));
                })
                .handle(http::serve);
        return ReactorServer.bind(server, loops, connections, false, owned);
    }

    /** One request's answer. The gate has judged its head: what is left are the spec's 404 and 405. */
    private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        String refused = request.requestHeaders().get(ReactorRequestGate.REFUSED);
        if (refused != null) {
            return error(request, response, HttpStatus.ofCode(Integer.parseInt(refused)), null);
        }
        Endpoint endpoint;
        int ms;
        int k;
        try {
            endpoint = HttpSyntax.endpoint(request.uri());
            ms = endpoint == Endpoint.DELAY || endpoint == Endpoint.FANOUT
                    ? HttpSyntax.queryParameter(request.uri(), "ms", 0, 60_000) : 0;
            k = endpoint == Endpoint.FANOUT ? HttpSyntax.queryParameter(request.uri(), "k", 1, Integer.MAX_VALUE) : 0;
        } catch (HttpException e) {
            return error(request, response, e.status(), null); // judged by the gate already: not reached
        }
        if (endpoint == Endpoint.UNKNOWN) {
            return error(request, response, HttpStatus.NOT_FOUND, null);
        }
        if (ReactorRequestGate.METHODS.get(request.method()) != endpoint.method()) {
            return error(request, response, HttpStatus.METHOD_NOT_ALLOWED, endpoint.method());
        }
        return switch (endpoint) {
            case PLAINTEXT -> ok(request, response, ContentType.TEXT_PLAIN, PLAINTEXT.duplicate());
            case JSON -> ok(request, response, ContentType.APPLICATION_JSON, JSON.duplicate());
            case ECHO -> request.receive().aggregate().retain()
                    .defaultIfEmpty(Unpooled.EMPTY_BUFFER)
                    .flatMap(body -> ok(request, response, ContentType.OCTET_STREAM, body));
            case DELAY -> Mono.delay(Duration.ofMillis(ms), onLoop.get(loopOf(request)))
                    .then(Mono.defer(() -> ok(request, response, ContentType.TEXT_PLAIN,
                            Unpooled.wrappedBuffer(HttpResponses.delayBody(ms)))));
            case FANOUT -> fanOut == null ? error(request, response, HttpStatus.NOT_FOUND, null)
                    : fanOut(request, response, k, ms);
            default -> error(request, response, HttpStatus.NOT_FOUND, null);
        };
    }

    /** The gateway's K calls, made on the request's own loop, and their answer. */
    private Mono<Void> fanOut(HttpServerRequest request, HttpServerResponse response, int k, int ms) {
        EventLoop loop = loopOf(request);
        return fanOut.call(k, ms, loop, onLoop.get(loop))
                .flatMap(body -> ok(request, response, ContentType.APPLICATION_JSON, body))
                .onErrorResume(HttpException.class, e -> error(request, response, e.status(), null));
    }

    private static EventLoop loopOf(HttpServerRequest request) {
        EventLoop[] loop = new EventLoop[1];
        request.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }

    private Mono<Void> ok(HttpServerRequest request, HttpServerResponse response, ContentType type, ByteBuf body) {
        boolean close = !request.isKeepAlive();
        return send(request, response, HttpStatus.OK, type, body, close, null);
    }

    private Mono<Void> error(HttpServerRequest request, HttpServerResponse response, HttpStatus status,
                             HttpMethod allow) {
        boolean close = status.closesConnection() || !request.isKeepAlive()
                || request.requestHeaders().contains(ReactorRequestGate.REFUSED);
        return send(request, response, status, ContentType.TEXT_PLAIN, Unpooled.wrappedBuffer(status.errorBody()),
                close, allow);
    }

    /**
     * The spec's answer: Server, Date, Content-Type, Content-Length, then Allow (405) and
     * Connection ({@code close}, or {@code keep-alive} for an HTTP/1.0 client that asked), always
     * as HTTP/1.1. Takes ownership of {@code body}.
     */
    private Mono<Void> send(HttpServerRequest request, HttpServerResponse response, HttpStatus status,
                            ContentType type, ByteBuf body, boolean close, HttpMethod allow) {
        counters.requestServed();
        HttpHeaders headers = response.status(STATUSES.get(status)).responseHeaders();
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING)
                .set(SERVER, ASYNCBENCH)
                .set(DATE, HttpDate.now())
                .set(CONTENT_TYPE, TYPES.get(type))
                .setInt(CONTENT_LENGTH, body.readableBytes());
        if (allow != null) {
            headers.set(ALLOW, allow.name());
        }
        if (close) {
            headers.set(CONNECTION, CLOSE);
        } else if (request.version() == HttpVersion.HTTP_1_0) {
            headers.set(CONNECTION, KEEP_ALIVE);
        }
        return response.send(Mono.just(body)).then();
    }

    /** A direct buffer every connection reads through its own duplicate; never freed. */
    private static ByteBuf shared(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes));
    }
}
