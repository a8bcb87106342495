package io.asyncbench.vertx;

import io.asyncbench.api.Limits;
import io.asyncbench.netty.support.NettyAcceptBackoff;
import io.asyncbench.netty.support.NettyConnectionOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's NIO transport, given to the {@link VertxEngine} through the transport SPI (the way
 * Vert.x lets an embedder choose one), with three things the spec asks that Vert.x's options do
 * not reach:
 * <ul>
 *   <li><b>One loop group.</b> Vert.x keeps a separate one-thread acceptor group for listening
 *       sockets; here the acceptor group is the IO group itself, as impl-netty's ServerBootstrap
 *       uses one group for both: a separate accept thread would be one more than the budget the
 *       other strategies get.</li>
 *   <li><b>The spec's limits on every connection</b>, accepted or opened: the write water marks
 *       (backpressure), reads of at most {@link Limits#readBufferSize()}, and, for plain TCP
 *       (echo, proxy), half-closure: Vert.x has no half-close of its own, and without it Netty
 *       closes a connection at the peer's EOF, dropping what is still to be written.</li>
 *   <li><b>Accept failures</b> ({@link NettyAcceptBackoff} on each listening socket): out of
 *       descriptors, a one-second pause and one line a second, where Vert.x would let each
 *       failure reach the pipeline's tail and log a stack trace.</li>
 * </ul>
 * One instance per Vert.x instance: it remembers that instance's IO group.
 */
final class VertxTransport extends NioTransport {

    private final Limits limits;
    private EventLoopGroup ioGroup;

    VertxTransport(Limits limits) {
        this.limits = limits;
    }

    /** The IO group, made first; asked for the acceptor group next, Vert.x gets the same one. */
    @Override
    public synchronized EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        if (type == ACCEPTOR_EVENT_LOOP_GROUP && ioGroup != null) {
            return ioGroup;
        }
        EventLoopGroup group = super.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
        if (type == IO_EVENT_LOOP_GROUP) {
            ioGroup = group;
        }
        return group;
    }

    synchronized EventLoopGroup ioGroup() {
        return ioGroup;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        super.configure(options, domainSocket, bootstrap);
        bootstrap.handler(new NettyAcceptBackoff());
        bootstrap.childOption(ChannelOption.RECVBUF_ALLOCATOR, NettyConnectionOptions.readSizes(limits));
        bootstrap.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, NettyConnectionOptions.waterMark(limits));
        if (!(options instanceof HttpServerOptions)) {
            bootstrap.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
        super.configure(options, connectTimeout, domainSocket, bootstrap);
        bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, NettyConnectionOptions.readSizes(limits));
        bootstrap.option(ChannelOption.WRITE_BUFFER_WATER_MARK, NettyConnectionOptions.waterMark(limits));
        if (options instanceof NetClientOptions) {
            bootstrap.option(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
    }
}
