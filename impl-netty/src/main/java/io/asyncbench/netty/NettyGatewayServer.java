package io.asyncbench.netty;

import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.netty.support.NettyRequestHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.ChannelPoolHandler;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The gateway workload: the http server plus {@code GET /fanout?k=K&ms=M}, written the way Netty
 * users write scatter-gather.
 * <ul>
 *   <li><b>Same loop.</b> Backend connections are opened by a client {@code Bootstrap} on the
 *       inbound connection's own event loop, and pooled per loop: a /fanout request, its K calls,
 *       their connections and its deadline all run on one thread, so nothing here is locked or
 *       handed between threads.</li>
 *   <li><b>Pooling.</b> Netty's {@link FixedChannelPool}, one per loop and backend,
 *       last-in first-out, checking a connection is still open when it is borrowed and when it
 *       comes back, and lending at most the loop's share of {@code Limits.maxBackendConnections}
 *       at once: further acquires wait in its queue, in order, until a connection comes back (the
 *       deadline cancels the wait). Every borrowed connection goes back, closed or not, so the
 *       pool's count stays true.</li>
 *   <li><b>Gather.</b> Each call is a {@link Promise}; {@link FanOut} listens to all K and counts
 *       them down. The first failure ends the gather with 502 at once, as asyncio.gather does
 *       (Netty's PromiseCombiner would wait for every call first).</li>
 *   <li><b>Deadline.</b> {@code ctx.executor().schedule}: when it fires first, the calls still
 *       outstanding are cancelled, their connections closed (a late answer must not reach the
 *       next borrower), and the client gets 504.</li>
 * </ul>
 */
final class NettyGatewayServer extends NettyHttpServer {

    /** The call a backend connection is busy with, while it is borrowed. */
    private static final AttributeKey<BackendCall> CALL = AttributeKey.valueOf(NettyGatewayServer.class, "call");
    /** A backend answer is {@code slept M ms} and a few headers; anything longer is not one. */
    private static final int MAX_RESPONSE_BODY = 64 * 1024;
    private static final HttpHeadersFactory HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final AsciiString HOST = AsciiString.cached("Host");
    private static final AsciiString BACKEND = AsciiString.cached("backend");
    /** Shared and without a stack trace: a wrong answer is an ordinary outcome of a call. */
    private static final Exception BAD_ANSWER = new Exception("the backend's answer is not the expected one",
            null, false, false) {
    };

    /** The gateway's handlers for each connection of a server, sharing one set of pools per loop. */
    static Consumer<ChannelPipeline> handlers(NettyPlumbing plumbing) {
        HttpDecoderConfig codec = NettyRequestHeaders.decoderConfig(plumbing.limits());
        BackendPools pools = new BackendPools(plumbing);
        return pipeline -> addCodec(pipeline, plumbing.limits(), codec)
                .addLast("http", new NettyGatewayServer(plumbing, pools));
    }

    private final BackendPools pools;
    private final long deadlineNanos;
    /** This connection's loop's pools, one per backend. */
    private FixedChannelPool[] backends;
    private FanOut fanOut;

    private NettyGatewayServer(NettyPlumbing plumbing, BackendPools pools) {
        super(plumbing);
        this.pools = pools;
        this.deadlineNanos = plumbing.limits().requestDeadline().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        backends = pools.of(ctx.channel().eventLoop());
    }

    @Override
    void answerLater(HttpRequest request) {
        if (request.endpoint() == Endpoint.FANOUT) {
            fanOut = new FanOut(request);
            fanOut.start();
        } else {
            super.answerLater(request);
        }
    }

    @Override
    void stopWaiting() {
        super.stopWaiting();
        if (fanOut != null) {
            fanOut.cancel(); // the client is gone: so are its calls
        }
    }

    /** asyncio.wait_for(asyncio.gather(*calls), deadline): K call promises, a countdown, a timer. */
    private final class FanOut implements FutureListener<Void> {

        private final HttpRequest request;
        private final BackendCall[] calls;
        private final String target;
        private final ByteBuf expected;
        private int outstanding;
        private ScheduledFuture<?> deadline;
        private boolean done;

        FanOut(HttpRequest request) {
            this.request = request;
            this.calls = new BackendCall[request.fanout()];
            this.target = "/delay?ms=" + request.delayMs();
            this.expected = Unpooled.wrappedBuffer(HttpResponses.delayBody(request.delayMs()));
            this.outstanding = calls.length;
        }

        void start() {
            deadline = ctx.executor().schedule(() -> finish(HttpStatus.GATEWAY_TIMEOUT),
                    deadlineNanos, TimeUnit.NANOSECONDS);
            for (int i = 0; i < calls.length && !done; i++) {
                // Call i goes to backend i % size.
                BackendCall call = new BackendCall(backends[i % backends.length], this);
                calls[i] = call;
                call.result.addListener(this);
                call.start();
            }
        }

        /** A call's promise completed: count successes down to 200; the first failure is a 502. */
        @Override
        public void operationComplete(Future<Void> call) {
            if (done) {
                return;
            }
            if (!call.isSuccess()) {
                finish(HttpStatus.BAD_GATEWAY);
            } else if (--outstanding == 0) {
                finish(HttpStatus.OK);
            }
        }

        private void finish(HttpStatus status) {
            if (done) {
                return;
            }
            cancel();
            if (status == HttpStatus.OK) {
                answeredOk(request, ContentType.APPLICATION_JSON,
                        Unpooled.wrappedBuffer(HttpResponses.fanoutBody(request.fanout(), request.delayMs())));
            } else {
                answeredError(request, status);
            }
        }

        /** asyncio's Task.cancel on whatever is still running, and the deadline with it. */
        void cancel() {
            done = true;
            fanOut = null;
            deadline.cancel(false);
            // Last first: acquires still queued in the pool are cancelled before any connection
            // closes, so the room it makes goes to another request, not to this one.
            for (int i = calls.length - 1; i >= 0; i--) {
                if (calls[i] != null) {
                    calls[i].cancel();
                }
            }
        }
    }

    /**
     * One backend call: borrow a connection, write one request, complete {@link #result} with
     * the answer, give the connection back. Connecting is part of the call, so the deadline also
     * covers a backend that never accepts.
     */
    private final class BackendCall implements FutureListener<Channel> {

        final Promise<Void> result = ctx.executor().newPromise();
        private final FixedChannelPool pool;
        private final FanOut fanOut;
        private Future<Channel> acquiring;
        private Channel channel;

        BackendCall(FixedChannelPool pool, FanOut fanOut) {
            this.pool = pool;
            this.fanOut = fanOut;
        }

        void start() {
            acquiring = pool.acquire(ctx.executor().newPromise());
            acquiring.addListener(this);
        }

        /** A connection was borrowed (or could not be made). */
        @Override
        public void operationComplete(Future<Channel> acquired) {
            acquiring = null;
            if (acquired.isCancelled()) {
                return; // the pool keeps the connection if it still comes up
            }
            if (!acquired.isSuccess()) {
                counters.error(); // refused, unreachable
                result.tryFailure(acquired.cause());
                return;
            }
            channel = acquired.getNow();
            channel.attr(CALL).set(this);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    fanOut.target, Unpooled.EMPTY_BUFFER, HEADERS.newHeaders().set(HOST, BACKEND),
                    EmptyHttpHeaders.INSTANCE);
            channel.writeAndFlush(request, channel.voidPromise());
        }

        /** The backend answered: only 200 with the expected body is a success. */
        void answered(FullHttpResponse response) {
            Channel used = channel;
            channel = null;
            boolean wellFormed = response.decoderResult().isSuccess();
            boolean good = wellFormed && response.status().code() == 200
                    && ByteBufUtil.equals(response.content(), fanOut.expected);
            if (!good || !HttpUtil.isKeepAlive(response)) {
                if (!wellFormed) {
                    counters.error();
                }
                used.close();
            }
            // Back to the pool (closed, it only frees its place) before the gather may finish
            // and its client ask again.
            pool.release(used);
            if (good) {
                result.trySuccess(null);
            } else {
                result.tryFailure(BAD_ANSWER);
            }
        }

        /** The connection closed or failed during the call. */
        void broken() {
            Channel used = channel;
            channel = null;
            if (used != null) {
                pool.release(used); // closed: it only frees its place
            }
            result.tryFailure(new ClosedChannelException());
        }

        /** The caller gave up (deadline, a failure elsewhere, client gone): close, never pool. */
        void cancel() {
            if (result.isDone()) {
                return;
            }
            result.cancel(false);
            if (acquiring != null) {
                acquiring.cancel(false);
            }
            if (channel != null) {
                channel.attr(CALL).set(null);
                channel.close(); // no error of its own: the caller's 504 or 502 reports it
                pool.release(channel); // closed: it only frees its place
                channel = null;
            }
        }
    }

    /** The backend side of a pooled connection: hands each answer to the call that borrowed it. */
    @Sharable
    private static final class BackendHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        static final BackendHandler INSTANCE = new BackendHandler();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            BackendCall call = ctx.channel().attr(CALL).getAndSet(null);
            if (call == null) {
                ctx.close(); // an answer nobody asked for: the stream is out of step
            } else {
                call.answered(response);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            BackendCall call = ctx.channel().attr(CALL).getAndSet(null);
            if (call != null) {
                call.broken();
            }
            ctx.fireChannelInactive();
        }
    }

    /** Per event loop, one {@link FixedChannelPool} per backend; made when a loop first needs them. */
    private static final class BackendPools {

        private final NettyPlumbing plumbing;
        private final Map<EventLoop, FixedChannelPool[]> byLoop = new ConcurrentHashMap<>();
        private final ChannelPoolHandler handler;

        BackendPools(NettyPlumbing plumbing) {
            this.plumbing = plumbing;
            this.handler = new AbstractChannelPoolHandler() {
                @Override
                public void channelCreated(Channel channel) {
                    // Framed like every connection: counted, bytes counted, errors ended.
                    plumbing.initOutgoing(channel, pipeline -> pipeline
                            .addLast("codec", new HttpClientCodec())
                            .addLast("aggregator", new HttpObjectAggregator(MAX_RESPONSE_BODY))
                            .addLast("call", BackendHandler.INSTANCE));
                }
            };
        }

        FixedChannelPool[] of(EventLoop loop) {
            return byLoop.computeIfAbsent(loop, this::open);
        }

        private FixedChannelPool[] open(EventLoop loop) {
            List<InetSocketAddress> addresses = plumbing.spec().backends();
            int cap = plumbing.limits().backendConnectionsPerPool(plumbing.spec().ioThreads());
            FixedChannelPool[] pools = new FixedChannelPool[addresses.size()];
            for (int i = 0; i < pools.length; i++) {
                // A backend that closes an idle connection closes it: no half-open pooled sockets.
                // No acquire timeout of the pool's own: the request's deadline cancels the wait.
                pools[i] = new FixedChannelPool(
                        plumbing.bootstrap(loop, addresses.get(i)).option(ChannelOption.ALLOW_HALF_CLOSURE, false),
                        handler, ChannelHealthChecker.ACTIVE, null, -1, cap, Integer.MAX_VALUE, true, true);
            }
            return pools;
        }
    }
}
