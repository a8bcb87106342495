package io.asyncbench.netty.support;

import io.asyncbench.api.ServerCounters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * One NIO loop serving loopback connections, each counted by a {@link NettyByteCounter} in front
 * of the server's handler for its reads; the test is the client.
 */
final class LoopbackServer implements AutoCloseable {

    final NettyLoopGroup loops = NettyLoopGroup.start("test", "io", 1, NioIoHandler.newFactory());
    /** The first connection accepted. */
    final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    private final Channel listener;

    /** Called on the server's loop with each connection's context and each buffer it reads. */
    interface OnRead {
        void read(ChannelHandlerContext ctx, ByteBuf bytes);
    }

    LoopbackServer(ServerCounters counters, OnRead onRead) {
        listener = new ServerBootstrap()
                .group(loops.group())
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(NettyByteCounter.NAME, new NettyByteCounter(counters));
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                try {
                                    onRead.read(ctx, (ByteBuf) msg);
                                } finally {
                                    ((ByteBuf) msg).release();
                                }
                            }

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
