package io.asyncbench.netty;

/** Netty on the JDK's NIO selector: the portable transport, and the one to compare with {@code selector}. */
public final class NettyNioStrategy extends NettyStrategy {

    public NettyNioStrategy() {
        super("netty-nio", NettyTransport.NIO,
                "Netty 4.2 ChannelPipeline handlers on NIO event loops (java.nio Selector)");
    }
}
