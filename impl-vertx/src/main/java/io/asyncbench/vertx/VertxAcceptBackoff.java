package io.asyncbench.vertx;

import io.asyncbench.api.AcceptFailures;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * The listening socket's handler (Vert.x sets none there). A failed accept (EMFILE: out of
 * descriptors) reaches it as an exception: it stops accepting for a second, the pause Netty's
 * {@code ServerBootstrapAcceptor} would make, and reports the failure through
 * {@link AcceptFailures}, one line a second, instead of passing it on to the pipeline's tail,
 * which logs a stack trace per failure.
 */
final class VertxAcceptBackoff extends ChannelInboundHandlerAdapter {

    private static final long PAUSE_SECONDS = 1;

    private AcceptFailures failures;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Made while descriptors are still free: creating it loads what logging needs.
        failures = new AcceptFailures(ctx.channel().localAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failures == null) {
            failures = new AcceptFailures(ctx.channel().localAddress());
        }
        failures.failed(cause);
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_SECONDS, TimeUnit.SECONDS);
        }
    }
}
