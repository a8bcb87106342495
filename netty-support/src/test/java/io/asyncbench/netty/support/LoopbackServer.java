package io.asyncbench.netty.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One NIO loop serving loopback connections with the handlers under test; the test is the client. */
final class LoopbackServer implements AutoCloseable {

    final NettyLoopGroup loops = NettyLoopGroup.start("test", "io", 1, NioIoHandler.newFactory());
    /** The first connection accepted. */
    final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    private final Channel listener;

    LoopbackServer(Consumer<ChannelPipeline> handlers) {
        listener = new ServerBootstrap()
                .group(loops.group())
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        handlers.accept(channel.pipeline());
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // a client the test closed while written to: not news
                            }
                        });
                        accepted.complete(channel);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    Socket connect() throws Exception {
        Socket socket = new Socket();
        socket.connect(listener.localAddress());
        socket.setSoTimeout(5_000);
        return socket;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loops.close();
    }
}
