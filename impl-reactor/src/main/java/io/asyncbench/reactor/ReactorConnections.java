package io.asyncbench.reactor;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.netty.support.NettyConnectionOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.AttributeKey;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import reactor.netty.NettyPipeline;

/**
 * What every connection of one server shares, accepted or opened to a backend: the spec's socket
 * options as {@code ChannelOption}s, the counters, and the few Netty handlers reactor-netty has
 * no setting for, put in by {@code doOnChannelInit} around reactor-netty's own:
 * <pre>
 *   [asyncbench.bytes] ...reactor.left (codec)... ...reactor.right (bridge)
 *                                        [asyncbench.end] [asyncbench.errors] ^
 * </pre>
 */
final class ReactorConnections {

    /** What {@code receiveObject()} emits once the peer half-closed (see {@link EndOfInput}). */
    static final Object END_OF_INPUT = new Object() {
        @Override
        public String toString() {
            return "end of input";
        }
    };

    private final ServerSpec spec;
    private final ServerCounters counters;
    private final ErrorCounter errors;

    ReactorConnections(ServerSpec spec, ServerCounters counters) {
        this.spec = spec;
        this.counters = counters;
        this.errors = new ErrorCounter(counters);
    }

    private volatile boolean closing;

    /** The server is closing its connections: those closes are nobody's error. */
    boolean closing() {
        return closing;
    }

    void closeAll() {
        closing = true;
    }

    ServerSpec spec() {
        return spec;
    }

    Limits limits() {
        return spec.limits();
    }

    ServerCounters counters() {
        return counters;
    }

    /**
     * The spec's options for every connection. Reads are capped at the read buffer size (reads
     * are what backpressure counts in); the write water marks turn a channel unwritable at the
     * spec's high water mark. {@code halfClosure}: a FIN becomes an {@link #END_OF_INPUT}
     * message instead of a close, so the workload finishes what it owes the peer first.
     */
    Map<ChannelOption<?>, Object> connectionOptions(boolean halfClosure) {
        return NettyConnectionOptions.of(spec, halfClosure);
    }

    /** An accepted connection: counted, bytes counted, errors counted, FIN turned into a message. */
    void accepted(Channel channel) {
        counters.connectionOpened();
        channel.closeFuture().addListener((ChannelFutureListener) closed -> counters.connectionClosed());
        frame(channel.pipeline());
    }

    /** A backend connection: counted once connected, then framed like an accepted one. */
    void outgoing(Channel channel) {
        channel.pipeline().addFirst("asyncbench.connections", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                counters.connectionOpened();
                ctx.channel().closeFuture().addListener((ChannelFutureListener) closed -> counters.connectionClosed());
                ctx.fireChannelActive();
            }
        });
        frame(channel.pipeline());
    }

    private void frame(ChannelPipeline pipeline) {
        pipeline.addFirst(ReactorByteCounter.NAME, new ReactorByteCounter(counters));
        pipeline.addBefore(NettyPipeline.ReactiveBridge, "asyncbench.end", EndOfInput.INSTANCE);
        pipeline.addBefore(NettyPipeline.ReactiveBridge, "asyncbench.errors", errors);
    }

    /**
     * reactor-netty has no notion of a half-closed connection (with ALLOW_HALF_CLOSURE it would
     * never learn of the FIN): the FIN is passed up as {@link #END_OF_INPUT}, the last thing a
     * connection's {@code receiveObject()} emits.
     */
    @Sharable
    static final class EndOfInput extends ChannelInboundHandlerAdapter {

        static final EndOfInput INSTANCE = new EndOfInput();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ctx.fireChannelRead(END_OF_INPUT);
                ctx.fireChannelReadComplete();
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    /**
     * Counts the first exception of a connection as its error, then lets reactor-netty handle it
     * (it ends the connection and logs a reset at debug level only). A ClosedChannelException is
     * the echo of a close, never its reason.
     */
    @Sharable
    static final class ErrorCounter extends ChannelInboundHandlerAdapter {

        private static final InternalLogger LOG = InternalLoggerFactory.getInstance(ErrorCounter.class);
        private static final AttributeKey<Boolean> FAILED = AttributeKey.valueOf(ErrorCounter.class, "failed");

        private final ServerCounters counters;

        ErrorCounter(ServerCounters counters) {
            this.counters = counters;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            count(ctx.channel(), cause, counters);
            ctx.fireExceptionCaught(cause);
        }

        /**
         * Counts {@code cause} as the connection's error unless one was counted already. Also
         * called for a failed write: reactor-netty hands those to the publisher that wrote, and
         * never to the pipeline.
         */
        static void count(Channel channel, Throwable cause, ServerCounters counters) {
            if (!(cause instanceof ClosedChannelException) && channel.attr(FAILED).setIfAbsent(Boolean.TRUE) == null) {
                counters.error();
                if (!(cause instanceof IOException) && !(cause instanceof java.util.concurrent.TimeoutException)
                        && !(cause instanceof io.asyncbench.api.http.HttpException)) {
                    LOG.debug("{} failed", channel, cause);
                }
            }
        }
    }
}
