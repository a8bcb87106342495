package io.asyncbench.vertx;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.api.http.HttpSyntax;
import io.asyncbench.netty.support.NettyRequestHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpUtil;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.ArrayDeque;

/**
 * The http workload as a verticle: an {@link HttpServer} (Vert.x's HTTP/1.1 on Netty's codec)
 * whose connections are each a {@link Connection}. The options carry the spec's limits where
 * Vert.x has one: the request line and header sizes, body pieces of at most one read buffer, no
 * automatic {@code 100 Continue} (it is sent only for a request that will be taken), no
 * compression, no HTTP/2 upgrade, no WebSocket extensions. The idle timeout and the head deadline
 * are the connection's own clock (Vert.x's idle timeout counts writes as activity and would close
 * a connection waiting for its answer; Vert.x has no head deadline).
 */
class VertxHttpServer extends VerticleBase implements VertxServer.Listening {

    private final VertxServer.Shared shared;
    private HttpServer server;

    VertxHttpServer(VertxServer.Shared shared) {
        this.shared = shared;
    }

    /** The server's options for the spec's limits and socket options. */
    static HttpServerOptions options(VertxServer.Shared shared) {
        Limits limits = shared.spec().limits();
        return shared.apply(new HttpServerOptions())
                .setMaxInitialLineLength(limits.maxHeaderBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(limits.readBufferSize())
                .setHandle100ContinueAutomatically(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setHttp2ClearTextEnabled(false)
                // No WebSocket extensions: their handler caps pipelining at 128 requests in flight.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
    }

    VertxServer.Shared shared() {
        return shared;
    }

    /** Starts waiting requests (/fanout): none here, the gateway's. */
    Connection.Waiting waiting() {
        return null;
    }

    @Override
    public Future<?> start() {
        Connection.Waiting waiting = waiting();
        Limits limits = shared.spec().limits();
        server = vertx.createHttpServer(options(shared))
                .connectionHandler(connection -> Connection.install(connection, vertx,
                        shared.connections(), limits, waiting))
                // Each connection replaces this with its own (see Connection).
                .requestHandler(request -> request.connection().close());
        return server.listen(shared.port(), shared.host());
    }

    @Override
    public int actualPort() {
        return server.actualPort();
    }

    /**
     * One HTTP connection of the http (and gateway) workload: Vert.x's {@code HttpServer} connection
     * with its request handler, and the few Netty handlers the spec needs beneath it. Its pipeline:
     * <pre>
     *   [bytes] [linger] [clock] [httpDecoder] [httpEncoder] [version] [Vert.x handler]
     * </pre>
     * <ul>
     *   <li><b>Requests</b> reach {@link #handle} in order, one at a time: Vert.x hands the next
     *       pipelined request over only once the answer to the one before has ended. Each is judged
     *       from its head as Netty decoded it ({@link VertxHttpDecoder}) by the api's rules
     *       ({@link HttpSyntax}), in the order every strategy judges them, then answered once its
     *       body is in ({@code req.body()}, {@code req.end()}): at once, or after a {@code setTimer}
     *       ({@code /delay}), or when the gateway's backend calls are gathered.</li>
     *   <li><b>Flow control.</b> Reading stops (the channel's auto-read) while an answer waits or
     *       while the client does not read its answers (the channel is not writable), and resumes
     *       when both are over: so at most one read's worth of requests is decoded ahead of its
     *       answers, which Vert.x's pause alone would let grow to 8 reads.</li>
     *   <li><b>Closing.</b> An answer that closes (an error status, Connection: close, HTTP/1.0) goes
     *       out by the closing rule ({@link VertxLingeringClose}); the idle timeout and the head
     *       deadline are {@link VertxHttpClock}'s, answered here (408, 431 for blank lines).</li>
     * </ul>
     */
    static final class Connection {

        /**
         * Starts answering a request that waits for backend calls (the gateway's), which ends in
         * {@link #answeredOk} or {@link #answeredError}; returns what cancels it if the connection
         * goes first.
         */
        interface Waiting {
            Runnable start(Connection connection, HttpServerRequest request, HttpRequest judged);
        }

        private final Vertx vertx;
        private final ServerCounters counters;
        private final Limits limits;
        private final Waiting waiting;
        private final Channel channel;
        private final VertxByteCounter counter;
        private final VertxLingeringClose linger = new VertxLingeringClose();
        private final VertxHttpClock clock;
        private final ChannelHandlerContext clockContext;
        /** Heads decoded and not yet handed to {@link #handle}, in order. */
        private final ArrayDeque<io.netty.handler.codec.http.HttpRequest> heads = new ArrayDeque<>();
        private long decoded;
        private long answered;
        /** Answers that wait (a sleep, backend calls): reading stops meanwhile. */
        private int waitingAnswers;
        private long sleep = -1;
        private Runnable cancelWaiting;
        private boolean closing;
        private boolean reading = true;

        /** Sets up a connection Vert.x's HttpServer accepted; call from its connection handler. */
        static void install(HttpConnection accepted, Vertx vertx, VertxConnections connections, Limits limits,
                            Waiting waiting) {
            HttpServerConnection connection = (HttpServerConnection) accepted;
            new Connection(connection, vertx, connections, limits, waiting);
        }

        private Connection(HttpServerConnection connection, Vertx vertx, VertxConnections connections,
                                    Limits limits, Waiting waiting) {
            this.vertx = vertx;
            this.counters = connections.counters();
            this.limits = limits;
            this.waiting = waiting;
            ChannelPipeline pipeline = connection.channelHandlerContext().pipeline();
            this.channel = pipeline.channel();
            this.counter = connections.count(pipeline);
            this.clock = new VertxHttpClock(this, limits.idleTimeout().toNanos(), limits.headDeadline().toNanos(),
                    limits.maxHeaderBytes());
            pipeline.addAfter("bytes", "linger", linger);
            pipeline.replace("httpDecoder", "httpDecoder", new VertxHttpDecoder(limits, this));
            pipeline.addBefore("httpDecoder", "clock", clock);
            pipeline.addAfter("httpEncoder", "version", VertxHttpAnswers.VERSION);
            this.clockContext = pipeline.context("clock");
            counter.onWritable(this::updateReading);
            connection.handler(this::handle);
            connection.invalidRequestHandler(this::refuse);
            // Failures end the connection; without a handler Vert.x would log each with a stack trace.
            connection.exceptionHandler(failure -> {
                if (!closing) {
                    closing = true;
                    counters.error();
                }
            });
            connection.closeHandler(closed -> {
                closing = true;
                stopWaiting();
            });
        }

        VertxHttpClock clock() {
            return clock;
        }

        Vertx vertx() {
            return vertx;
        }

        ServerCounters counters() {
            return counters;
        }

        Limits limits() {
            return limits;
        }

        /** The decoder decoded a head: Vert.x hands its request over later, in this order. */
        void decoded(io.netty.handler.codec.http.HttpRequest head) {
            heads.add(head);
            decoded++;
        }

        /** Requests decoded and not answered yet: the line is busy with our answers. */
        boolean busy() {
            return decoded != answered;
        }

        boolean closing() {
            return closing;
        }

        /** A request whose head decoded well. */
        private void handle(HttpServerRequest req) {
            io.netty.handler.codec.http.HttpRequest head = heads.poll();
            if (closing || head == null) {
                return;
            }
            HttpRequest request;
            try {
                request = NettyRequestHead.accept(head, limits);
            } catch (HttpException refused) {
                // The stream can no longer be trusted: answer (400, 413, 501, 505) and close.
                counters.error();
                send(req, refused.status(), ContentType.TEXT_PLAIN, Buffer.buffer(refused.status().errorBody()), true, null);
                return;
            }
            if (HttpUtil.getContentLength(head, 0L) > 0 && HttpUtil.is100ContinueExpected(head)) {
                req.response().writeContinue();
            }
            if (request.endpoint() == Endpoint.ECHO && request.method() == HttpMethod.POST) {
                req.body().onSuccess(body -> answer(req, request, body));
            } else {
                req.end().onSuccess(ended -> answer(req, request, null));
            }
        }

        /** A request whose head the decoder refused (431 when too large, else 400). */
        private void refuse(HttpServerRequest req) {
            io.netty.handler.codec.http.HttpRequest head = heads.poll();
            if (closing) {
                return;
            }
            Throwable cause = head != null ? head.decoderResult().cause() : req.decoderResult().cause();
            HttpStatus status = cause instanceof TooLongFrameException
                    ? HttpStatus.HEADER_FIELDS_TOO_LARGE : HttpStatus.BAD_REQUEST;
            counters.error();
            send(req, status, ContentType.TEXT_PLAIN, Buffer.buffer(status.errorBody()), true, null);
        }

        /** A whole request: answered now, or after a wait. */
        private void answer(HttpServerRequest req, HttpRequest request, Buffer body) {
            if (closing) {
                return;
            }
            Endpoint endpoint = request.endpoint();
            if (endpoint == Endpoint.UNKNOWN) {
                error(req, request, HttpStatus.NOT_FOUND, null);
            } else if (request.method() != endpoint.method()) {
                error(req, request, HttpStatus.METHOD_NOT_ALLOWED, endpoint.method());
            } else {
                switch (endpoint) {
                    case PLAINTEXT -> ok(req, request, ContentType.TEXT_PLAIN, Buffer.buffer(VertxHttpAnswers.PLAINTEXT));
                    case JSON -> ok(req, request, ContentType.APPLICATION_JSON, Buffer.buffer(VertxHttpAnswers.JSON));
                    case ECHO -> ok(req, request, ContentType.OCTET_STREAM, body != null ? body : Buffer.buffer());
                    case DELAY -> sleep(req, request);
                    default -> {
                        if (waiting == null) {
                            error(req, request, HttpStatus.NOT_FOUND, null); // /fanout: the gateway's only
                        } else {
                            startWaiting();
                            cancelWaiting = waiting.start(this, req, request);
                        }
                    }
                }
            }
        }

        /** {@code /delay?ms=N}: asyncio.sleep inside a request, a timer on this event loop. */
        private void sleep(HttpServerRequest req, HttpRequest request) {
            Buffer body = Buffer.buffer(HttpResponses.delayBody(request.delayMs()));
            if (request.delayMs() == 0) {
                ok(req, request, ContentType.TEXT_PLAIN, body);
                return;
            }
            startWaiting();
            sleep = vertx.setTimer(request.delayMs(), id -> {
                sleep = -1;
                answeredOk(req, request, ContentType.TEXT_PLAIN, body);
            });
        }

        private void startWaiting() {
            waitingAnswers++;
            updateReading();
        }

        /** The connection is gone while a request waits: stop waiting (cancel the sleep, the calls). */
        private void stopWaiting() {
            if (sleep >= 0) {
                vertx.cancelTimer(sleep);
                sleep = -1;
            }
            if (cancelWaiting != null) {
                cancelWaiting.run();
                cancelWaiting = null;
            }
        }

        /** The answer to a request that waited. */
        final void answeredOk(HttpServerRequest req, HttpRequest request, ContentType type, Buffer body) {
            if (closing) {
                return;
            }
            waitingAnswers--;
            cancelWaiting = null;
            ok(req, request, type, body);
        }

        /** An error answer (502, 504) to a request that waited. */
        final void answeredError(HttpServerRequest req, HttpRequest request, HttpStatus status) {
            if (closing) {
                return;
            }
            waitingAnswers--;
            cancelWaiting = null;
            error(req, request, status, null);
        }

        private void ok(HttpServerRequest req, HttpRequest request, ContentType type, Buffer body) {
            send(req, HttpStatus.OK, type, body, !request.keepAlive(), null);
        }

        private void error(HttpServerRequest req, HttpRequest request, HttpStatus status, HttpMethod allow) {
            boolean close = status.closesConnection() || !request.keepAlive();
            send(req, status, ContentType.TEXT_PLAIN, Buffer.buffer(status.errorBody()), close, allow);
        }

        private void send(HttpServerRequest req, HttpStatus status, ContentType type, Buffer body, boolean close,
                          HttpMethod allow) {
            counters.requestServed();
            answered++;
            clock.answered();
            if (close) {
                closing = true;
                linger.arm();
                VertxHttpAnswers.send(req.response(), status, type, body, true, allow)
                        .onComplete(written -> linger.start());
            } else {
                VertxHttpAnswers.send(req.response(), status, type, body, false, allow);
                updateReading();
            }
        }

        /** Reads while no answer waits and the client reads its answers; on this connection's loop. */
        private void updateReading() {
            boolean read = !closing && waitingAnswers == 0 && channel.isWritable();
            if (read != reading) {
                reading = read;
                channel.config().setAutoRead(read);
            }
        }

        /** The blank lines before a request line reached the header limit: 431, and close. */
        void tooManyBlankLines() {
            refuseRaw(HttpStatus.HEADER_FIELDS_TOO_LARGE, "blank lines before a request line exceed the header limit");
        }

        /** The head under way missed its deadline: 408, and close. */
        void headOverdue() {
            refuseRaw(HttpStatus.REQUEST_TIMEOUT, "request head overdue");
        }

        /** No request for the idle timeout: closed, an error. */
        void idle() {
            closing = true;
            counters.error();
            counter.abort();
        }

        /**
         * An answer with no request to answer (the clock's): written below Vert.x, from the clock's
         * place in the pipeline, as the api encodes it; then the closing rule.
         */
        private void refuseRaw(HttpStatus status, String why) {
            if (closing) {
                return;
            }
            closing = true;
            counters.error();
            counters.requestServed();
            linger.arm();
            byte[] answer = HttpResponses.error(new HttpException(status, why)).encode();
            clockContext.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(written -> linger.start());
        }
    }
}
