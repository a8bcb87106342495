package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.http.LingeringClose;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Over a real socket, as the rule is about FIN and reset: the server answers its first read, then closes. */
@Timeout(20)
class NettyLingeringCloseTest {

    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.US_ASCII);

    private final ServerCounters counters = new ServerCounters();

    private LoopbackServer server() {
        return new LoopbackServer(counters, (ctx, bytes) ->
                ctx.writeAndFlush(Unpooled.wrappedBuffer(ANSWER)).addListener(NettyLingeringClose.AFTER_ANSWER));
    }

    @Test
    void answersThenFinThenDrainsWhatTheClientStillSendsUntilItsEof() throws Exception {
        try (LoopbackServer server = server(); Socket client = server.connect()) {
            client.getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            assertThat(in.readNBytes(ANSWER.length)).isEqualTo(ANSWER);
            assertThat(in.read()).as("FIN after the answer").isEqualTo(-1);

            Channel channel = server.accepted.get(5, TimeUnit.SECONDS);
            assertThat(channel.isOpen()).as("still draining").isTrue();
            client.getOutputStream().write(new byte[10_000]); // read and dropped, no reset
            client.shutdownOutput();
            assertThat(channel.closeFuture().await(5, TimeUnit.SECONDS)).as("closed at the client's EOF").isTrue();
            assertThat(counters.bytesRead()).as("drained bytes are counted as read").isEqualTo(7 + 10_000);
        }
    }

    @Test
    void closesAfterTheDrainTimeWhenTheClientStaysSilent() throws Exception {
        try (LoopbackServer server = server(); Socket client = server.connect()) {
            client.getOutputStream().write(1);
            assertThat(client.getInputStream().readNBytes(ANSWER.length)).isEqualTo(ANSWER);
            Channel channel = server.accepted.get(5, TimeUnit.SECONDS);
            long started = System.nanoTime();
            assertThat(channel.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - started).isLessThan(LingeringClose.DRAIN_TIME.toNanos() + TimeUnit.SECONDS.toNanos(2));
        }
    }

    @Test
    void closesAtOnceWhatCannotHalfClose() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelPromise closed = channel.newPromise();
        NettyLingeringClose.begin(channel, NettyByteCounter.NAME, closed);
        assertThat(closed.isSuccess()).isTrue();
        assertThat(channel.isOpen()).isFalse();
    }
}
