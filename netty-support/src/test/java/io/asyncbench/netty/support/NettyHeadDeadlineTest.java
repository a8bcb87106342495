package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class NettyHeadDeadlineTest {

    private static final Duration DEADLINE = Duration.ofMillis(20);

    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final NettyHeadDeadline deadline = new NettyHeadDeadline(DEADLINE.toNanos(), 8);
    private final EmbeddedChannel channel = new EmbeddedChannel(deadline, new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
        }
    });

    private void read(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    /** Runs the channel's timers, on its own clock, until an event comes or the deadline is long past. */
    private void runTimersFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        channel.freezeTime();
        while (events.isEmpty() && System.nanoTime() - end < 0) {
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void anUnfinishedHeadIsOverdueAfterTheDeadline() {
        read("GET / HTTP/1.1\r\nHost:");
        runTimersFor(Duration.ofSeconds(5));
        assertThat(events).containsExactly(NettyHeadDeadline.OVERDUE);
        assertThat(channel.finishAndReleaseAll()).isTrue();
    }

    @Test
    void aHeadDecodedInTheReadThatBroughtItArmsNoTimer() {
        channel.pipeline().fireChannelRead(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: t\r\n\r\n", StandardCharsets.ISO_8859_1));
        deadline.headEnded(); // as the handler behind the codec does
        channel.pipeline().fireChannelReadComplete();
        assertThat(channel.runScheduledPendingTasks()).as("no timer pending").isEqualTo(-1);
        channel.finishAndReleaseAll();
    }

    @Test
    void aHeadDecodedInTimeIsNotOverdue() {
        read("GET / HTTP/1.1\r\n");
        deadline.headEnded();
        runTimersFor(DEADLINE.multipliedBy(3));
        assertThat(events).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void tooManyBlankLinesAreNotPassedOn() {
        read("\r\n\r\n\r\n\r\n");
        assertThat(events).containsExactly(NettyHeadDeadline.TOO_MANY_BLANK_LINES);
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aClosedConnectionCancelsItsTimer() {
        read("GET");
        channel.close();
        runTimersFor(DEADLINE.multipliedBy(3));
        assertThat(events).isEmpty();
    }
}
