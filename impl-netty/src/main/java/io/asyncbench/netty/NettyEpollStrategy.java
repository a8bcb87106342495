package io.asyncbench.netty;

/**
 * Netty on its native Linux epoll transport: the same handlers as {@link NettyNioStrategy}, so any
 * difference between the two is the transport. Reports itself unavailable where epoll cannot load.
 */
public final class NettyEpollStrategy extends NettyStrategy {

    public NettyEpollStrategy() {
        super("netty-epoll", NettyTransport.EPOLL,
                "Netty 4.2 ChannelPipeline handlers on native epoll event loops (JNI, edge-triggered)");
    }
}
