package io.asyncbench.reactor;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.netty.support.NettyHeadDeadline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * In front of the codec, on the bytes: the head deadline and the blank lines before a request line
 * ({@link NettyHeadDeadline}, which reactor-netty has no setting for: its {@code readTimeout} and
 * {@code requestTimeout} start only once a head is decoded), told to the
 * {@link ReactorRequestGate} behind the codec by its user events.
 *
 * <p>It also counts an idle timeout as the connection's error: reactor-netty's
 * IdleTimeoutHandler, just behind the codec, closes from there, so the close passes here and no
 * later handler hears of it before the connection is gone.
 */
final class ReactorHeadClock extends NettyHeadDeadline {

    private static final Exception IDLE = new TimeoutException("idle timeout");

    static final String NAME = "asyncbench.head";

    private final ServerCounters counters;
    private final BooleanSupplier serverClosing;

    ReactorHeadClock(long deadlineNanos, int maxHeaderBytes, ServerCounters counters, BooleanSupplier serverClosing) {
        super(deadlineNanos, maxHeaderBytes);
        this.counters = counters;
        this.serverClosing = serverClosing;
    }

    /**
     * A close from behind the codec that no closing answer asked for (the gate turns those into
     * a lingering close, which does not pass here): an idle timeout, or the end of a connection
     * that failed, which is counted once either way.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (ctx.channel().isActive() && !serverClosing.getAsBoolean()) {
            ReactorConnections.ErrorCounter.count(ctx.channel(), IDLE, counters);
        }
        ctx.close(promise);
    }
}
