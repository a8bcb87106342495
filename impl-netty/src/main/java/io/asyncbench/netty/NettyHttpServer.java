package io.asyncbench.netty;

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
import io.asyncbench.netty.support.NettyHeadDeadline;
import io.asyncbench.netty.support.NettyLingeringClose;
import io.asyncbench.netty.support.NettyRequestHead;
import io.asyncbench.netty.support.NettyRequestHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The http workload as a Netty handler behind Netty's own HTTP/1.1 codec. A connection's pipeline:
 * <pre>
 *   [bytes] [idle: IdleStateHandler] [head: NettyHeadDeadline] [codec: HttpServerCodec] [http: this] [errors]
 * </pre>
 * <ul>
 *   <li><b>Codec.</b> {@link HttpServerCodec} turns the bytes into a head ({@code HttpRequest})
 *       followed by body pieces ending with a {@code LastHttpContent}, and encodes the
 *       {@link NettyHttpResponses}. Its limits come from {@link Limits#maxHeaderBytes()}; its
 *       failures (a {@link DecoderResult} on the head) and the checks it leaves to its user
 *       (methods, versions, Transfer-Encoding, Host, body size) become the spec's statuses in
 *       {@link #accept}; the request-target and Host rules are the api's own {@link HttpSyntax},
 *       the code the shared parser runs too.</li>
 *   <li><b>Bodies without HttpObjectAggregator.</b> The head is judged before a byte of its body is
 *       read: 413 and 501 go out at once, {@code 100 Continue} only for a request that will be
 *       taken (the aggregator, and HttpServerExpectContinueHandler in front of it, would answer
 *       100 first and send their own 413 without the spec's headers). The /echo body is gathered
 *       into one buffer of its Content-Length, which then goes back out as the answer.</li>
 *   <li><b>Order.</b> Requests are answered in the order the codec fires them. {@code /delay} is
 *       asyncio.sleep inside a request: {@code ctx.executor().schedule}, no thread held. The
 *       requests pipelined behind a waiting one are held, in order, and reading pauses once
 *       something is held, so the queue holds at most what one read decoded.</li>
 *   <li><b>Batching and flow control.</b> Answers are written as they are made and flushed once
 *       per read. A client that does not read its answers turns the channel unwritable: requests
 *       are then held and reading pauses, as for echo. This is the whole bound on pipelining
 *       (10,000 requests in one write are all answered, in order): the codec's own depth cap is
 *       lifted, because at most one read's requests are ever decoded ahead of their answers.</li>
 *   <li><b>Idle timeout.</b> {@link IdleStateHandler}'s reader-idle event closes a connection
 *       that sent nothing for the timeout, a half-sent request included, unless a request of it
 *       is waiting for its answer.</li>
 *   <li><b>Head deadline.</b> {@link NettyHeadDeadline} times each request head from the bytes
 *       in front of the codec; this handler tells it where heads and requests end, and answers
 *       its overdue event with 408 and a close.</li>
 * </ul>
 * One instance per connection (it holds the connection's state); the gateway extends it with one
 * more kind of waiting request, {@link #answerLater}.
 */
class NettyHttpServer extends ChannelInboundHandlerAdapter {

    /** The http workload's handlers for each connection of a server. */
    static Consumer<ChannelPipeline> handlers(NettyPlumbing plumbing) {
        HttpDecoderConfig codec = NettyRequestHeaders.decoderConfig(plumbing.limits());
        return pipeline -> addCodec(pipeline, plumbing.limits(), codec)
                .addLast("http", new NettyHttpServer(plumbing));
    }

    /** What an HTTP server handler needs in front of it: the idle timer and the codec. */
    static ChannelPipeline addCodec(ChannelPipeline pipeline, Limits limits, HttpDecoderConfig codec) {
        // Reader idle only: with a writer or all-idle time, IdleStateHandler would put a listener
        // (and a promise) on every write.
        return pipeline
                .addLast("idle", new IdleStateHandler(limits.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS))
                .addLast("head", new NettyHeadDeadline(limits.headDeadline().toNanos(), limits.maxHeaderBytes()))
                // No pipelining depth cap (Netty's default closes the connection past 128 requests
                // decoded and not yet answered): reading stops instead, so at most one read's worth
                // of requests is ever decoded ahead of its answers (see channelRead).
                .addLast("codec", new HttpServerCodec(codec, Integer.MAX_VALUE));
    }

    final ServerCounters counters;
    private final Limits limits;
    private final long idleTimeoutNanos;
    ChannelHandlerContext ctx;
    private NettyHeadDeadline headDeadline;

    /** The request being received: its head was accepted, its LastHttpContent is yet to come. */
    private HttpRequest request;
    /** The /echo body being gathered, else null: other bodies are read and dropped. */
    private ByteBuf body;
    /** A request waits for its answer (a sleep, backend calls); those behind it wait their turn. */
    private boolean waiting;
    /** Messages decoded behind a waiting request or while the client reads too slowly; lazily made. */
    private ArrayDeque<Object> held;
    /** Inside {@link #handle}: an answer made meanwhile must not start on the held messages. */
    private boolean handling;
    /** The connection is closing: nothing more is answered. */
    private boolean closing;
    /** The client half-closed: close once every request it sent is answered. */
    private boolean inputShutdown;
    private ScheduledFuture<?> sleep;
    private long lastAnswered;

    NettyHttpServer(NettyPlumbing plumbing) {
        Limits limits = plumbing.limits();
        this.counters = plumbing.counters();
        this.limits = limits;
        this.idleTimeoutNanos = limits.idleTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Kept for the answers made later, by timers and backend calls.
        this.ctx = ctx;
        this.headDeadline = ctx.pipeline().get(NettyHeadDeadline.class);
        lastAnswered = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof io.netty.handler.codec.http.HttpRequest head) {
            NettyRequestHead.addBlankLines(head, headDeadline.headEnded(), limits.maxHeaderBytes());
        }
        if (msg instanceof LastHttpContent) {
            headDeadline.requestEnded();
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (waiting || !ctx.channel().isWritable() || (held != null && !held.isEmpty())) {
            if (held == null) {
                held = new ArrayDeque<>();
            }
            held.add(msg);
            ctx.channel().config().setAutoRead(false);
        } else {
            handle(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush (one writev) for the answers to everything this read brought.
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            carryOn();
        } else {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            // Nothing heard for the timeout (IdleStateHandler counts from the last read); a wait
            // on our side, or an answer less than the timeout ago, keeps the connection.
            if (!closing && !waiting && System.nanoTime() - lastAnswered >= idleTimeoutNanos) {
                counters.error();
                closing = true;
                ctx.close();
            }
        } else if (event == NettyHeadDeadline.TOO_MANY_BLANK_LINES) {
            if (!closing) {
                counters.error();
                send(NettyHttpResponses.error(HttpStatus.HEADER_FIELDS_TOO_LARGE, true, false, null), true);
            }
        } else if (event == NettyHeadDeadline.OVERDUE) {
            if (waiting || (held != null && !held.isEmpty())) {
                headDeadline.restart(); // the line is busy with our answer, not held by the client
            } else if (!closing) {
                counters.error();
                send(NettyHttpResponses.error(HttpStatus.REQUEST_TIMEOUT, true, false, null), true);
            }
        } else if (event instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            carryOn();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        stopWaiting();
        if (body != null) {
            body.release();
            body = null;
        }
        releaseHeld();
        ctx.fireChannelInactive();
    }

    /** One decoded message: a head starts a request, its last content ends it and gets it answered. */
    private void handle(Object msg) {
        handling = true;
        try {
            if (msg instanceof io.netty.handler.codec.http.HttpRequest head && !begin(head)) {
                return;
            }
            if (msg instanceof HttpContent content && request != null) {
                if (body != null) {
                    body.writeBytes(content.content());
                }
                if (msg instanceof LastHttpContent) {
                    HttpRequest complete = request;
                    ByteBuf echoed = body;
                    request = null;
                    body = null;
                    answer(complete, echoed);
                }
            }
        } finally {
            handling = false;
            ReferenceCountUtil.release(msg);
        }
    }

    /** Judges a head; false if it was refused, answered and the connection is closing. */
    private boolean begin(io.netty.handler.codec.http.HttpRequest head) {
        try {
            request = NettyRequestHead.accept(head, limits);
        } catch (HttpException refused) {
            // The stream can no longer be trusted: answer (400, 413, 431, 501, 505) and close.
            counters.error();
            send(NettyHttpResponses.error(refused.status(), true, false, null), true);
            return false;
        }
        long length = HttpUtil.getContentLength(head, 0L);
        if (length > 0) {
            if (request.endpoint() == Endpoint.ECHO && request.method() == HttpMethod.POST) {
                body = ctx.alloc().buffer((int) length, (int) length);
            }
            if (HttpUtil.is100ContinueExpected(head)) {
                ctx.writeAndFlush(NettyHttpResponses.continueResponse(), ctx.voidPromise());
            }
        }
        return true;
    }

    /** Answers a complete request now, or starts waiting for its answer. Owns {@code echoed}. */
    private void answer(HttpRequest request, ByteBuf echoed) {
        Endpoint endpoint = request.endpoint();
        if (endpoint == Endpoint.UNKNOWN) {
            error(request, HttpStatus.NOT_FOUND, null);
        } else if (request.method() != endpoint.method()) {
            error(request, HttpStatus.METHOD_NOT_ALLOWED, endpoint.method());
        } else {
            switch (endpoint) {
                case PLAINTEXT -> ok(request, ContentType.TEXT_PLAIN, NettyHttpResponses.plaintext());
                case JSON -> ok(request, ContentType.APPLICATION_JSON, NettyHttpResponses.json());
                case ECHO -> ok(request, ContentType.OCTET_STREAM, echoed != null ? echoed : Unpooled.EMPTY_BUFFER);
                default -> {
                    waiting = true;
                    answerLater(request);
                }
            }
        }
    }

    /**
     * Starts answering a request that must wait; {@link #answeredOk} or {@link #answeredError}
     * later, from a callback on this connection's loop. Here: {@code /delay}, a timer on the loop.
     */
    void answerLater(HttpRequest request) {
        if (request.endpoint() == Endpoint.DELAY) {
            sleep = ctx.executor().schedule(() -> {
                sleep = null;
                answeredOk(request, ContentType.TEXT_PLAIN,
                        Unpooled.wrappedBuffer(HttpResponses.delayBody(request.delayMs())));
            }, request.delayMs(), TimeUnit.MILLISECONDS);
        } else {
            // /fanout calls backends, which only the gateway has.
            answeredError(request, HttpStatus.NOT_FOUND);
        }
    }

    /** The connection is gone while a request waits: stop waiting (cancel the sleep). */
    void stopWaiting() {
        if (sleep != null) {
            sleep.cancel(false);
            sleep = null;
        }
    }

    /** The answer to the request that waited; then the requests behind it go on. Owns {@code content}. */
    final void answeredOk(HttpRequest request, ContentType type, ByteBuf content) {
        if (closing) {
            content.release();
            return;
        }
        waiting = false;
        ok(request, type, content);
        lastAnswered = System.nanoTime();
        carryOn();
    }

    /** An error answer (404, 502, 504) to the request that waited; then the ones behind it go on. */
    final void answeredError(HttpRequest request, HttpStatus status) {
        if (closing) {
            return;
        }
        waiting = false;
        error(request, status, null);
        lastAnswered = System.nanoTime();
        carryOn();
    }

    /**
     * The line is free again (an answer went out, the client reads again, or it half-closed):
     * answer what is held, flush, then read again, or close if the client is done sending.
     */
    private void carryOn() {
        if (handling) {
            return; // called back from inside handle(): the caller carries on
        }
        Object msg;
        while (!waiting && !closing && ctx.channel().isWritable() && held != null
                && (msg = held.poll()) != null) {
            handle(msg);
        }
        ctx.flush();
        if (closing) {
            return;
        }
        boolean drained = held == null || held.isEmpty();
        if (inputShutdown && !waiting && drained) {
            closing = true;
            // An empty write completes after every earlier one: close once all answers are out.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.channel().config().setAutoRead(drained && ctx.channel().isWritable());
        }
    }

    private void ok(HttpRequest request, ContentType type, ByteBuf content) {
        boolean close = !request.keepAlive();
        send(NettyHttpResponses.response(HttpStatus.OK, type, content, close, !close && request.http10(), null),
                close);
    }

    private void error(HttpRequest request, HttpStatus status, HttpMethod allow) {
        boolean close = status.closesConnection() || !request.keepAlive();
        send(NettyHttpResponses.error(status, close, !close && request.http10(), allow), close);
    }

    /** Writes an answer; flushed with the others of this read, or at once when the connection closes. */
    private void send(FullHttpResponse response, boolean close) {
        counters.requestServed();
        if (close) {
            closing = true;
            releaseHeld();
            ctx.writeAndFlush(response).addListener(NettyLingeringClose.AFTER_ANSWER);
        } else {
            // A void promise: nobody waits on a single answer (the byte counter still counts it).
            ctx.write(response, ctx.voidPromise());
        }
    }

    private void releaseHeld() {
        if (held != null) {
            Object msg;
            while ((msg = held.poll()) != null) {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
