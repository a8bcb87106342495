package io.asyncbench.netty.support;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec's socket options and limits as Netty's {@link ChannelOption}s for a connection, accepted
 * or outgoing (the JDK's channels get the same values from {@code SocketOptions.applyTo}).
 */
public final class NettyConnectionOptions {

    private NettyConnectionOptions() {
    }

    /**
     * Every option of a connection of {@code spec}. {@code halfClosure}: on EOF Netty fires
     * ChannelInputShutdownEvent instead of closing, so the workload decides when the connection ends.
     */
    public static Map<ChannelOption<?>, Object> of(ServerSpec spec, boolean halfClosure) {
        SocketOptions options = spec.socketOptions();
        Limits limits = spec.limits();
        Map<ChannelOption<?>, Object> map = new LinkedHashMap<>();
        map.put(ChannelOption.TCP_NODELAY, options.tcpNoDelay());
        map.put(ChannelOption.RECVBUF_ALLOCATOR, readSizes(limits));
        map.put(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(limits));
        map.put(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure);
        if (options.receiveBufferSize() > 0) {
            map.put(ChannelOption.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            map.put(ChannelOption.SO_SNDBUF, options.sendBufferSize());
        }
        return map;
    }

    /** Netty's adaptive read sizing, capped so that one read is at most readBufferSize. */
    public static AdaptiveRecvByteBufAllocator readSizes(Limits limits) {
        int max = limits.readBufferSize();
        return new AdaptiveRecvByteBufAllocator(Math.min(64, max), Math.min(2048, max), max);
    }

    /** A channel turns unwritable at the spec's high water mark, writable again at its low one. */
    public static WriteBufferWaterMark waterMark(Limits limits) {
        return new WriteBufferWaterMark(limits.writeLowWaterMark(), limits.writeHighWaterMark());
    }
}
