package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.ServerCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Over a real socket: the transport reports write progress only to a real channel's promises. */
@Timeout(20)
class NettyByteCounterTest {

    private final ServerCounters counters = new ServerCounters();
    private final CompletableFuture<Integer> readOnServer = new CompletableFuture<>();

    private LoopbackServer server() {
        return new LoopbackServer(counters, (ctx, bytes) -> readOnServer.complete(bytes.readableBytes()));
    }

    private static void readFully(InputStream in, int bytes) throws Exception {
        assertThat(in.readNBytes(bytes)).hasSize(bytes);
    }

    @Test
    void countsReadsAndTheBytesTheSocketTookOfEachWrite() throws Exception {
        try (LoopbackServer server = server(); Socket client = server.connect()) {
            client.getOutputStream().write(new byte[100]);
            Channel channel = server.accepted.get(5, TimeUnit.SECONDS);
            assertThat(readOnServer.get(5, TimeUnit.SECONDS)).isEqualTo(100);
            assertThat(counters.bytesRead()).isEqualTo(100);

            // Fire-and-forget (void promise): the connection's one counting promise.
            channel.eventLoop().submit(() -> {
                channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[300]), channel.voidPromise());
                channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[200]), channel.voidPromise());
            }).get(5, TimeUnit.SECONDS);
            readFully(client.getInputStream(), 500);

            // A write somebody waits on: a counted promise that completes theirs.
            ChannelFuture awaited = channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[70]));
            assertThat(awaited.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(awaited.isSuccess()).isTrue();
            readFully(client.getInputStream(), 70);
            assertThat(counters.bytesWritten()).isEqualTo(570);

            // An empty write counts nothing and completes as any write.
            assertThat(channel.writeAndFlush(Unpooled.EMPTY_BUFFER).await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(counters.bytesWritten()).isEqualTo(570);
        }
    }

    @Test
    void doesNotCountBytesStillQueuedInUserSpace() throws Exception {
        try (LoopbackServer server = server(); Socket client = server.connect()) {
            client.setReceiveBufferSize(4096);
            client.getOutputStream().write(1);
            Channel channel = server.accepted.get(5, TimeUnit.SECONDS);
            int size = 64 << 20; // far more than the kernel's buffers take while the client reads nothing
            channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[size]), channel.voidPromise());
            channel.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertThat(counters.bytesWritten()).isPositive().isLessThan(size);
        }
    }
}
