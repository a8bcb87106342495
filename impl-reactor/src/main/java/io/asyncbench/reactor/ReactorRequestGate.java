package io.asyncbench.reactor;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.api.http.HttpSyntax;
import io.asyncbench.netty.support.NettyLingeringClose;
import io.asyncbench.netty.support.NettyRequestHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Between the codec and reactor-netty's HttpTrafficHandler: what the spec asks of a connection
 * that reactor-netty has no setting for.
 * <ul>
 *   <li><b>Judging each head</b> before reactor-netty makes a request of it, by the rules of the
 *       api's HttpRequestParser (the codec's failures, sizes, methods, versions, Host, the target
 *       by {@link HttpSyntax}, Content-Length and Transfer-Encoding): reactor-netty would answer
 *       its own bare 400 to a decoding failure and serve the rest. A refused head becomes a
 *       request that the handler answers with the spec's status (a header only this gate sets
 *       carries it), in order behind the requests before it, and nothing after it is read as a
 *       request: the connection closes.</li>
 *   <li><b>The head deadline</b> ({@link ReactorHeadClock}'s events): 408 and close, unless the
 *       line is busy with our answers.</li>
 *   <li><b>The closing rule</b>: reactor-netty's close after a closing answer becomes
 *       {@link NettyLingeringClose}.</li>
 *   <li><b>Pipelining, one request at a time</b>: what is decoded behind a request still being
 *       answered is held here and handed on once reactor-netty has let go of that request (its
 *       operations-terminated event), and auto-read is off while anything is held or the channel
 *       is unwritable (the client does not read its answers), although reactor-netty turns it on
 *       at each request's end: the requests read ahead of their answers are one read's. Left to
 *       reactor-netty's own pipelining queue (it turns auto-read off at 32 queued requests),
 *       10,000 requests in one write stalled for good after about 500 answers, with and without
 *       this gate's read pause (measured; not root-caused), and a request handed on before that
 *       event waits in that queue for an event already past. Either way a pipelined connection
 *       gets one request per event-loop task, reactor-netty's own design: with wrk at 256
 *       connections 16 deep on one saturated loop, the gate and reactor-netty's queue measured
 *       alike, 73-80k requests/s with batches waiting up to 6 s (p90 2.6 s) while every
 *       connection was served at least once a second, against netty-epoll's 346k/s (session 10).</li>
 * </ul>
 */
final class ReactorRequestGate extends ChannelDuplexHandler {

    static final String NAME = "asyncbench.gate";

    /** Set on the request a refused head becomes, stripped from every other: the status to answer. */
    static final String REFUSED = "x-asyncbench-refused";

    /** Netty's method constants to the spec's; any other method is unknown (501). */
    static final Map<io.netty.handler.codec.http.HttpMethod, HttpMethod> METHODS = new HashMap<>();

    static {
        for (HttpMethod method : HttpMethod.values()) {
            METHODS.put(io.netty.handler.codec.http.HttpMethod.valueOf(method.name()), method);
        }
    }

    /** reactor-netty's (package-private) event: a request's operations have ended. */
    private static final String OPERATIONS_TERMINATED = "reactor.netty.http.server.HttpServerOperationsTerminatedEvent";

    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString CLOSE = AsciiString.cached("close");

    private final ServerCounters counters;
    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private final int maxFanOut;
    private ReactorHeadClock clock;
    /** Requests passed on to reactor-netty whose answers are not written yet (one, but for a refusal). */
    private int inFlight;
    /** What was decoded behind a request still being answered, in order. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** A head was refused (or the connection timed out): nothing more is passed on. */
    private boolean refused;
    /** The answer being written is an interim one (100 Continue). */
    private boolean interim;
    /** A closing answer was written: reactor-netty's close is the closing rule's. */
    private boolean closingAnswer;
    private boolean lingering;
    private boolean readWanted;

    ReactorRequestGate(ServerCounters counters, Limits limits) {
        this.counters = counters;
        this.maxHeaderBytes = limits.maxHeaderBytes();
        this.maxBodyBytes = limits.maxBodyBytes();
        this.maxFanOut = limits.maxFanOut();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        clock = ctx.pipeline().get(ReactorHeadClock.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Object next = msg;
        if (msg instanceof HttpRequest head) {
            HttpStatus refusal = judge(head, clock.headEnded());
            if (refusal != null) {
                ReferenceCountUtil.release(msg);
                next = refusal(ctx, refusal);
            } else {
                head.headers().remove(REFUSED);
            }
        } else if (msg instanceof LastHttpContent) {
            clock.requestEnded();
        }
        if (held.isEmpty() && !(next instanceof HttpRequest && inFlight > 0)) {
            pass(ctx, next);
        } else {
            held.add(next); // behind a request still being answered: reactor-netty gets one at a time
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void pass(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        ctx.fireChannelRead(msg);
        if (!held.isEmpty() || !ctx.channel().isWritable()) {
            // reactor-netty turns auto-read on at each request's end; not while we hold or stall.
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Reads on again, as reactor-netty does between requests, unless something is held or stalled. */
    private void resumeReading(ChannelHandlerContext ctx) {
        if (held.isEmpty() && ctx.channel().isWritable() && !refused) {
            readWanted = false;
            ctx.channel().config().setAutoRead(true);
            ctx.read(); // a read we held back may be the one the transport waits for (epoll is edge-triggered)
        }
    }

    /**
     * A request was answered: hand reactor-netty what was held behind it, up to and including the
     * next request head, then read again once nothing is held.
     */
    private void drain(ChannelHandlerContext ctx) {
        Object msg;
        while (inFlight == 0 && (msg = held.poll()) != null) {
            pass(ctx, msg);
            while ((msg = held.peek()) != null && !(msg instanceof HttpRequest)) {
                pass(ctx, held.poll());
            }
        }
        ctx.fireChannelReadComplete();
        resumeReading(ctx);
    }

    /** The status that refuses {@code head}, or null: the api parser's checks, in its order. */
    private HttpStatus judge(HttpRequest head, int blankBytes) {
        DecoderResult decoded = head.decoderResult();
        if (decoded.isFailure()) {
            return decoded.cause() instanceof TooLongFrameException
                    ? HttpStatus.HEADER_FIELDS_TOO_LARGE : HttpStatus.BAD_REQUEST;
        }
        if (decoded instanceof HttpMessageDecoderResult sizes && sizes.totalSize() + blankBytes > maxHeaderBytes) {
            return HttpStatus.HEADER_FIELDS_TOO_LARGE;
        }
        NettyRequestHeaders fields = (NettyRequestHeaders) head.headers();
        if (fields.contentLengthFields() > 1) {
            return HttpStatus.BAD_REQUEST;
        }
        HttpMethod method = METHODS.get(head.method());
        if (method == null) {
            return HttpStatus.NOT_IMPLEMENTED;
        }
        try {
            String target = head.uri();
            Endpoint endpoint = HttpSyntax.endpoint(target);
            HttpVersion version = head.protocolVersion();
            boolean http10 = version == HttpVersion.HTTP_1_0;
            if (!http10 && version != HttpVersion.HTTP_1_1) {
                // Only HTTP/<digit>.<digit> in any case gets this far; the codec's constants are
                // exactly HTTP/1.0 and HTTP/1.1, so an equal version was spelled otherwise.
                return HttpVersion.HTTP_1_0.equals(version) || HttpVersion.HTTP_1_1.equals(version)
                        ? HttpStatus.BAD_REQUEST : HttpStatus.VERSION_NOT_SUPPORTED;
            }
            if (head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                return HttpStatus.NOT_IMPLEMENTED;
            }
            int hosts = fields.hostFields();
            if (hosts > 1 || hosts == 0 && !http10
                    || hosts == 1 && !HttpSyntax.isValidHost(head.headers().get(HttpHeaderNames.HOST))) {
                return HttpStatus.BAD_REQUEST;
            }
            if (endpoint == Endpoint.DELAY || endpoint == Endpoint.FANOUT) {
                HttpSyntax.queryParameter(target, "ms", 0, 60_000);
                if (endpoint == Endpoint.FANOUT) {
                    HttpSyntax.queryParameter(target, "k", 1, maxFanOut);
                }
            }
        } catch (HttpException e) {
            return e.status();
        }
        if (HttpUtil.getContentLength(head, 0L) > maxBodyBytes) {
            return HttpStatus.CONTENT_TOO_LARGE;
        }
        return null;
    }

    /**
     * What reactor-netty gets in place of a refused head: a request whose answer is
     * {@code status}, answered in order, closing the connection; nothing after it is read.
     */
    private Object refusal(ChannelHandlerContext ctx, HttpStatus status) {
        ReactorConnections.ErrorCounter.count(ctx.channel(), new HttpException(status, "refused"), counters);
        refused = true;
        clock.stop();
        DefaultFullHttpRequest refusal = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
        refusal.headers().set(HttpHeaderNames.HOST, "refused").set(REFUSED, status.code());
        return refusal;
    }

    private void refuse(ChannelHandlerContext ctx, HttpStatus status) {
        Object refusal = refusal(ctx, status);
        if (held.isEmpty() && inFlight == 0) {
            pass(ctx, refusal);
            ctx.fireChannelReadComplete();
        } else {
            held.add(refusal);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event.getClass().getName().equals(OPERATIONS_TERMINATED)) {
            ctx.fireUserEventTriggered(event);
            if (inFlight == 0 && !held.isEmpty()) {
                // Once reactor-netty has let go of the request's operations (after this event):
                // a request handed on before would wait in its own queue for an event already past.
                ctx.executor().execute(() -> drain(ctx));
            }
            return;
        }
        if (event instanceof IdleStateEvent) {
            refused = true; // reactor-netty's IdleTimeoutHandler closed the connection (ReactorHeadClock counts it)
        } else if (event == ReactorHeadClock.TOO_MANY_BLANK_LINES) {
            if (!refused) {
                refuse(ctx, HttpStatus.HEADER_FIELDS_TOO_LARGE);
            }
            return;
        } else if (event == ReactorHeadClock.OVERDUE) {
            if (inFlight > 0 || !held.isEmpty()) {
                clock.restart(); // the line is busy with our answers, not held by the client
            } else if (!refused) {
                refuse(ctx, HttpStatus.REQUEST_TIMEOUT);
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            interim = response.status().code() == HttpResponseStatus.CONTINUE.code();
            boolean keepAlive = HttpUtil.isKeepAlive(response);
            // reactor-netty answers in the request's version, and re-sets a closing answer's
            // Connection header in lower case (HTTP/1.0: drops it); the spec answers HTTP/1.1
            // with its own header names, so the closing answer says "Connection: close".
            response.setProtocolVersion(HttpVersion.HTTP_1_1);
            if (!interim && !keepAlive) {
                response.headers().set(CONNECTION, CLOSE);
                closingAnswer = true;
            }
        }
        if (msg instanceof LastHttpContent && !interim) {
            inFlight--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (lingering) {
            ctx.channel().closeFuture().addListener(closed -> promise.trySuccess());
        } else if (closingAnswer && ctx.channel().isActive()) {
            lingering = true;
            NettyLingeringClose.begin(ctx.channel(), ReactorByteCounter.NAME, promise);
        } else {
            ctx.close(promise);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        refused = true;
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && held.isEmpty()) {
            ctx.read();
        } else {
            readWanted = true; // the client is not reading its answers: neither do we, for now
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            if (readWanted || !ctx.channel().config().isAutoRead()) {
                resumeReading(ctx);
            }
        } else {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelWritabilityChanged();
    }
}
