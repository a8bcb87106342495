package io.asyncbench.vertx;

import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * The echo workload as a verticle: a {@link NetServer} whose sockets write back every buffer they
 * read, with flow control in Vert.x's shape (once the write queue is full, pause; resume when it
 * drains), held to the spec's bound as {@link VertxCountedSocket} explains. Half-closure, which Vert.x has no API for,
 * arrives as Netty's input-shutdown event through the socket's event handler: everything read is
 * echoed, then the socket closes ({@code close()} flushes first).
 *
 * <p>Each buffer read is Vert.x's heap copy of the channel's pooled read, as
 * {@link VertxProxyServer} explains: one byte allocated per byte echoed, by Vert.x's Buffer API.
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
        VertxCountedSocket socket = VertxCountedSocket.of(accepted, shared.connections());
        socket.drainHandler(socket::resume);
        socket.handler(buffer -> {
            socket.write(buffer);
            if (socket.writeQueueFull()) {
                socket.pause();
            }
        });
        socket.socket().eventHandler(event -> {
            if (event instanceof ChannelInputShutdownEvent) {
                socket.close();
            }
        });
    }
}
