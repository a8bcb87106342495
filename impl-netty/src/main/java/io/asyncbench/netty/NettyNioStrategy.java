package io.asyncbench.netty;

import io.asyncbench.api.StrategyFacts;

/** Netty on the JDK's NIO selector: the portable transport, and the one to compare with {@code selector}. */
public final class NettyNioStrategy extends NettyStrategy {

    public NettyNioStrategy() {
        super("netty-nio", NettyTransport.NIO,
                "Netty 4.2 ChannelPipeline handlers on NIO event loops (java.nio Selector)");
    }

    /** Near the end, Okabe-Ito blue: the widely used implementation every strategy is also compared with. */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(60, "#0072B2", "impl-netty").withRole(StrategyFacts.Role.PEER).withBackendRank(2);
    }
}
