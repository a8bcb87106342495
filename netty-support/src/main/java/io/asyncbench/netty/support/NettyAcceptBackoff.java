package io.asyncbench.netty.support;

import io.asyncbench.api.AcceptFailures;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * The listening channel's handler. A failed accept (EMFILE: out of descriptors) reaches it as an
 * exception; it then stops accepting for a second, Netty's own remedy ({@code
 * ServerBootstrapAcceptor} pauses auto-read for 1 s, netty#1328), and reports the failure in one
 * line a second ({@link AcceptFailures}) instead of letting it reach the pipeline's tail, which
 * logs a stack trace per failure. A second fits an event loop: accepts are retried by the loop
 * itself, so a shorter pause would only wake it more often while nothing can be accepted.
 *
 * <p>Put on a listener before it binds (a bootstrap's {@code handler}) or after (reactor-netty's
 * bound server channel). One per listener.
 */
public final class NettyAcceptBackoff extends ChannelInboundHandlerAdapter {

    private static final long PAUSE_SECONDS = 1;

    private AcceptFailures failures;
    private Runnable resume;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            prepare(ctx); // added to a listener already bound
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        prepare(ctx);
        ctx.fireChannelActive();
    }

    /** Made while descriptors are still free: creating AcceptFailures loads what logging needs. */
    private void prepare(ChannelHandlerContext ctx) {
        failures = new AcceptFailures(ctx.channel().localAddress());
        ChannelConfig config = ctx.channel().config();
        resume = () -> config.setAutoRead(true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failures == null) {
            prepare(ctx);
        }
        failures.failed(cause);
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(resume, PAUSE_SECONDS, TimeUnit.SECONDS);
        }
        // Not passed on: ServerBootstrapAcceptor would pause once more and the tail would log it.
    }
}
