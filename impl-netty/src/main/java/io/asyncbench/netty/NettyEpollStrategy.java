package io.asyncbench.netty;

import io.asyncbench.api.StrategyFacts;
import java.util.Optional;

/**
 * Netty on its native Linux epoll transport: the same handlers as {@link NettyNioStrategy}, so any
 * difference between the two is the transport. Reports itself unavailable where epoll cannot load.
 */
public final class NettyEpollStrategy extends NettyStrategy {

    public NettyEpollStrategy() {
        super("netty-epoll", NettyTransport.EPOLL,
                "Netty 4.2 ChannelPipeline handlers on native epoll event loops (JNI, edge-triggered)");
    }

    /**
     * Last, in the hue of netty-nio (sky blue); the first choice for the backends, the fastest where
     * epoll loads.
     */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(70, "#56B4E9", "impl-netty").withBackendRank(1);
    }

    /**
     * Netty's timing wheel uses no transport ({@link NettyTimers}): these timers are netty-nio's,
     * code for code, so a run with both measures them once, as netty-nio.
     */
    @Override
    public Optional<String> timersSameAs() {
        return Optional.of("netty-nio");
    }
}
