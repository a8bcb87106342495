package io.asyncbench.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The proxy workload as Netty's HexDumpProxy example writes it: the client's connection does not
 * read until its backend connection, opened by a client {@code Bootstrap} on the client
 * connection's own event loop, is up; from then on one instance of this handler on each side
 * writes what it reads to the other side.
 * <ul>
 *   <li><b>Backpressure by writability.</b> Where HexDumpProxy reads one buffer, writes it and
 *       reads again when the write completed, this toggles {@code autoRead} on the water marks:
 *       when one side's outbound buffer passes the high water mark (the reader there is slow), the
 *       other side stops reading, and starts again below the low mark. Up to the high water mark
 *       stays in flight instead of one buffer, with no listener and no promise per write; at most
 *       high water plus one read is held per direction.</li>
 *   <li><b>Half-close.</b> With {@code ALLOW_HALF_CLOSURE} an EOF is an event, not a close: it is
 *       passed on as {@code shutdownOutput} once everything before it is written, and both
 *       connections close when both directions are done.</li>
 *   <li><b>Failures.</b> A refused backend closes the client (counted as an error); a reset on
 *       either side (counted by the error handler) closes the other. A client that resets while
 *       the backend connects finds the backend connection closed once it is up, quietly.</li>
 * </ul>
 */
final class NettyProxyServer extends ChannelInboundHandlerAdapter {

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(NettyProxyServer.class);

    /** The proxy's handlers for each client connection of a server. */
    static Consumer<ChannelPipeline> handlers(NettyPlumbing plumbing) {
        InetSocketAddress backend = plumbing.spec().backends().get(0);
        return pipeline -> {
            // Nothing is read from the client before there is somewhere to write it.
            pipeline.channel().config().setAutoRead(false);
            pipeline.addLast("relay", new NettyProxyServer(plumbing, backend));
        };
    }

    /** Set on the client side only: it opens the backend side. */
    private final NettyPlumbing plumbing;
    private final InetSocketAddress backend;
    /** The connection on the other side: what this side reads is written there. */
    private Channel peer;

    private NettyProxyServer(NettyPlumbing plumbing, InetSocketAddress backend) {
        this.plumbing = plumbing;
        this.backend = backend;
    }

    /** The backend side's relay, writing to the client connection. */
    private NettyProxyServer(Channel client) {
        this.plumbing = null;
        this.backend = null;
        this.peer = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (plumbing != null) {
            connectBackend(ctx.channel());
        }
        ctx.fireChannelActive();
    }

    private void connectBackend(Channel client) {
        ChannelFuture connected = plumbing.connector(client.eventLoop(), backend,
                pipeline -> pipeline.addLast("relay", new NettyProxyServer(client))).connect();
        peer = connected.channel();
        connected.addListener((ChannelFutureListener) attempt -> {
            if (attempt.isSuccess()) {
                startReading(client, attempt.channel());
            } else if (client.isActive()) {
                plumbing.counters().error(); // refused, unreachable: the client is not left hanging
                client.close();
            } // else the client left first, and closing it cancelled the connect
        });
    }

    /**
     * The backend is up: read the client, as fast as the backend takes it. A client that reset
     * while we connected is closed, or its socket failed under us: turning reading on for it then
     * threw from setAutoRead on epoll (about 1 connect in 500), and the listener's exception was
     * logged with a stack trace. Nothing is left to relay: close both, quietly.
     */
    private static void startReading(Channel client, Channel backend) {
        if (!client.isActive()) {
            backend.close();
            return;
        }
        try {
            client.config().setAutoRead(true);
        } catch (RuntimeException clientGone) {
            LOG.debug("{} gone while its backend connected: {}", client, clientGone.toString());
            client.close();
            backend.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The buffer goes to the other side as it is; its outbound buffer releases it once written.
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per batch of reads.
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side's reader is slow (or fast again): stop (or resume) reading the other side,
        // unless that side is not (or no longer) connected: a closing channel changes writability.
        if (peer.isActive()) {
            peer.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // EOF from this side: once everything read before it is written, half-close the other.
            Channel self = ctx.channel();
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) flushed -> {
                if (flushed.isSuccess()) {
                    ((DuplexChannel) peer).shutdownOutput().addListener(
                            (ChannelFutureListener) shut -> closeIfBothDone(self, peer));
                }
            });
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Both directions have passed their EOF on: nothing more can flow, close both connections. */
    private static void closeIfBothDone(Channel one, Channel other) {
        if (((DuplexChannel) one).isOutputShutdown() && ((DuplexChannel) other).isOutputShutdown()) {
            one.close();
            other.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Closed for good (both directions done, a reset, server close): the other side too.
        if (peer != null) {
            peer.close();
        }
        ctx.fireChannelInactive();
    }
}
