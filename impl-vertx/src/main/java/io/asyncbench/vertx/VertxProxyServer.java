package io.asyncbench.vertx;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;

/**
 * The proxy workload as a verticle: a {@link NetServer} and a {@link NetClient} of the verticle's
 * own, so a client's backend connection is opened on the client's event loop and the two are
 * relayed without a hand-off. The client is paused until its backend connection is up; from then
 * on each side's buffers are written to the other, with Vert.x's flow control both ways: a side
 * whose write queue is full pauses the other side, its {@code drainHandler} resumes it (what
 * {@code pipeTo} does, here over the sockets' message handlers, which stop reading at once: see
 * {@link VertxEchoServer}).
 *
 * <p>A half-close (Netty's input-shutdown event: Vert.x has none) is passed on as a half-close of
 * the other side once everything read before it is written; once both directions are done, or
 * when either side closes or fails, both close.
 */
final class VertxProxyServer extends VerticleBase implements VertxServer.Listening {

    private final VertxServer.Shared shared;
    private final InetSocketAddress backend;
    private NetServer server;
    private NetClient client;

    VertxProxyServer(VertxServer.Shared shared) {
        this.shared = shared;
        this.backend = shared.spec().backends().get(0);
    }

    @Override
    public Future<?> start() {
        var socketOptions = shared.spec().socketOptions();
        NetClientOptions clientOptions = new NetClientOptions().setTcpNoDelay(socketOptions.tcpNoDelay());
        if (socketOptions.receiveBufferSize() > 0) {
            clientOptions.setReceiveBufferSize(socketOptions.receiveBufferSize());
        }
        if (socketOptions.sendBufferSize() > 0) {
            clientOptions.setSendBufferSize(socketOptions.sendBufferSize());
        }
        client = vertx.createNetClient(clientOptions);
        server = vertx.createNetServer(shared.apply(new NetServerOptions()))
                .connectHandler(this::relay);
        return server.listen(shared.port(), shared.host());
    }

    @Override
    public int actualPort() {
        return server.actualPort();
    }

    private void relay(NetSocket accepted) {
        NetSocketInternal front = (NetSocketInternal) accepted;
        VertxSockets.counted(front, shared.counters());
        front.messageHandler(bytes -> {
            throw new IllegalStateException("read before the backend was connected");
        });
        front.pause(); // nothing is read from the client before there is somewhere to write it
        client.connect(backend.getPort(), backend.getAddress().getHostAddress()).onComplete(connected -> {
            if (connected.failed()) {
                shared.counters().error(); // refused, unreachable: the client is not left hanging
                front.close();
                return;
            }
            NetSocketInternal back = (NetSocketInternal) connected.result();
            VertxSockets.counted(back, shared.counters());
            if (!front.channelHandlerContext().channel().isActive()) {
                back.close(); // the client left while we connected
                return;
            }
            pipe(front, back);
            pipe(back, front);
            front.closeHandler(closed -> back.close());
            back.closeHandler(closed -> front.close());
            front.resume();
        });
    }

    /** Everything {@code from} reads goes to {@code to}, which pauses {@code from} while it is full. */
    private static void pipe(NetSocketInternal from, NetSocketInternal to) {
        from.messageHandler(bytes -> {
            to.writeMessage(bytes);
            if (to.writeQueueFull()) {
                from.pause();
            }
        });
        to.drainHandler(drained -> from.resume());
        from.eventHandler(event -> {
            if (event instanceof ChannelInputShutdownEvent) {
                // EOF from this side: once everything read before it is written, half-close the other.
                to.writeMessage(Unpooled.EMPTY_BUFFER).onSuccess(written -> {
                    DuplexChannel out = (DuplexChannel) to.channelHandlerContext().channel();
                    out.shutdownOutput().addListener(shut -> closeIfBothDone(from, to));
                });
            }
        });
    }

    /** Both directions have passed their EOF on: nothing more can flow, close both. */
    private static void closeIfBothDone(NetSocketInternal one, NetSocketInternal other) {
        if (((DuplexChannel) one.channelHandlerContext().channel()).isOutputShutdown()
                && ((DuplexChannel) other.channelHandlerContext().channel()).isOutputShutdown()) {
            one.close();
            other.close();
        }
    }
}
