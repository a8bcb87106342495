package io.asyncbench.vertx;

import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * The echo workload as a verticle: a {@link NetServer} whose sockets write back every buffer they
 * read, with Vert.x's flow control: once {@code writeQueueFull()} (the write queue passed the high
 * water mark) {@code pause()}, and {@code resume()} in the {@code drainHandler}.
 *
 * <p>The socket's message handler ({@link NetSocketInternal}, the API Vert.x's own clients are
 * written on) rather than {@code handler(Buffer)}: it hands over the buffers as Netty read them,
 * written back without a copy or a wrapper, and its {@code pause()} stops reading at once, where
 * a paused {@code handler(Buffer)} queues up to 16 more reads before it stops (up to 256 KiB held
 * for a client that does not read, over the spec's bound). Half-closure, which Vert.x has no API
 * for, arrives as Netty's input-shutdown event through the socket's event handler: everything
 * read is echoed, then the socket closes ({@code end()} flushes first).
 */
final class VertxEchoServer extends VerticleBase implements VertxServer.Listening {

    private final VertxServer.Shared shared;
    private NetServer server;

    VertxEchoServer(VertxServer.Shared shared) {
        this.shared = shared;
    }

    @Override
    public Future<?> start() {
        server = vertx.createNetServer(shared.apply(new NetServerOptions()))
                .connectHandler(this::echo);
        return server.listen(shared.port(), shared.host());
    }

    @Override
    public int actualPort() {
        return server.actualPort();
    }

    private void echo(NetSocket accepted) {
        NetSocketInternal socket = (NetSocketInternal) accepted;
        VertxSockets.counted(socket, shared.counters());
        socket.drainHandler(drained -> socket.resume());
        socket.messageHandler(bytes -> {
            socket.writeMessage(bytes);
            if (socket.writeQueueFull()) {
                socket.pause();
            }
        });
        socket.eventHandler(event -> {
            if (event instanceof ChannelInputShutdownEvent) {
                socket.end();
            }
        });
    }
}
