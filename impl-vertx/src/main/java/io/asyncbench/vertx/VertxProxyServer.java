package io.asyncbench.vertx;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
 * on each side's buffers are written to the other, with flow control both ways: a side whose
 * write queue is full pauses the other side, and its drain resumes it. That is what
 * {@code pipeTo} does; here it is written out, because Vert.x's pause and full write queue hold
 * more than the spec's bound (see {@link VertxCountedSocket}).
 *
 * <p>A half-close (Netty's input-shutdown event: Vert.x has none) is passed on as a half-close of
 * the other side once everything read before it is written; once both directions are done, or
 * when either side closes or fails, both close.
 *
 * <p><b>What a relayed byte costs.</b> A {@link NetSocket} hands its handler a {@code Buffer} the
 * handler may keep: Vert.x copies each pooled read into a new heap buffer and releases the read
 * ({@code VertxHandler.safeBuffer}), and writing a heap buffer makes Netty copy it into a direct
 * one. So every byte relayed is allocated once on the heap: about 2 MiB per proxy operation (1 MiB
 * each way), where impl-netty passes its pooled reads on. That is the price of Vert.x's Buffer API
 * ({@code pipeTo} pays it too), not of this relay; relaying Netty's {@code ByteBuf}s through
 * {@code NetSocketInternal.messageHandler} would avoid it, but that is Netty under Vert.x's
 * internals, not Vert.x as its users write it.
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
        VertxCountedSocket front = VertxCountedSocket.of(accepted, shared.connections());
        front.pause(); // nothing is read from the client before there is somewhere to write it
        client.connect(backend.getPort(), backend.getAddress().getHostAddress()).onComplete(connected -> {
            if (connected.failed()) {
                front.fail(); // refused, unreachable: the client is not left hanging
                return;
            }
            VertxCountedSocket back = VertxCountedSocket.of(connected.result(), shared.connections());
            if (!front.isOpen()) {
                back.abort(); // the client left while we connected
                return;
            }
            pipe(front, back);
            pipe(back, front);
            // Closed for good (both directions done, a reset, the server's close): the other too.
            front.socket().closeHandler(closed -> {
                front.failIfNotDone();
                back.abort();
            });
            back.socket().closeHandler(closed -> {
                back.failIfNotDone();
                front.abort();
            });
            front.resume();
        });
    }

    /** Everything {@code from} reads goes to {@code to}, which pauses {@code from} while it is full. */
    private static void pipe(VertxCountedSocket from, VertxCountedSocket to) {
        from.handler(buffer -> {
            to.write(buffer);
            if (to.writeQueueFull()) {
                from.pause();
            }
        });
        to.drainHandler(from::resume);
        from.socket().eventHandler(event -> {
            if (event instanceof ChannelInputShutdownEvent) {
                // EOF from this side: once everything read before it is written, half-close the other.
                to.socket().writeMessage(Unpooled.EMPTY_BUFFER).onSuccess(written -> {
                    DuplexChannel out = (DuplexChannel) to.socket().channelHandlerContext().channel();
                    out.shutdownOutput().addListener(shut -> closeIfBothDone(from, to));
                });
            }
        });
    }

    /** Both directions have passed their EOF on: nothing more can flow, close both. */
    private static void closeIfBothDone(VertxCountedSocket one, VertxCountedSocket other) {
        if (outputShutdown(one) && outputShutdown(other)) {
            one.close();
            other.close();
        }
    }

    private static boolean outputShutdown(VertxCountedSocket socket) {
        return ((DuplexChannel) socket.socket().channelHandlerContext().channel()).isOutputShutdown();
    }
}
