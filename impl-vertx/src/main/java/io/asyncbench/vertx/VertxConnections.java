package io.asyncbench.vertx;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.netty.support.NettyByteCounter;
import io.netty.channel.ChannelPipeline;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections of one server, accepted or opened: counted in its {@link ServerCounters}, and
 * known until they close, so that closing the server can cut them off ({@link #abortAll}).
 * Vert.x closes a connection by flushing it first, which for a peer that stopped reading never
 * ends: {@code vertx.close()} would then wait forever. A server's close drops in-flight data by
 * contract, as Netty's close does.
 */
final class VertxConnections {

    private final ServerCounters counters;
    private final Set<VertxByteCounter> live = ConcurrentHashMap.newKeySet();

    VertxConnections(ServerCounters counters) {
        this.counters = counters;
    }

    ServerCounters counters() {
        return counters;
    }

    /** Counts the connection of {@code pipeline} from now on; call before it reads anything. */
    VertxByteCounter count(ChannelPipeline pipeline) {
        counters.connectionOpened();
        VertxByteCounter counter = new VertxByteCounter(counters);
        live.add(counter);
        pipeline.channel().closeFuture().addListener(closed -> {
            live.remove(counter);
            counters.connectionClosed();
        });
        pipeline.addFirst(NettyByteCounter.NAME, counter);
        return counter;
    }

    /** Closes every connection now, dropping what it had yet to write. */
    void abortAll() {
        for (VertxByteCounter connection : live) {
            connection.abort();
        }
    }
}
