package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class NettyLoopGroupTest {

    @Test
    void runsOnNamedDaemonThreadsThatCloseJoins() throws Exception {
        NettyLoopGroup loops = NettyLoopGroup.start("test", "loop", 2, NioIoHandler.newFactory());
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        loops.group().next().execute(() -> ran.complete(Thread.currentThread()));
        Thread thread = ran.get();
        assertThat(thread.getName()).matches("asyncbench-test-loop-\\d");
        assertThat(thread.isDaemon()).isTrue();

        loops.close();
        assertThat(loops.group().isTerminated()).isTrue();
        assertThat(thread.isAlive()).as("closed means joined, not only terminated").isFalse();
    }

    @Test
    void closesAfterAQuietPeriod() {
        NettyLoopGroup loops = NettyLoopGroup.start("test", "loop", 1, NioIoHandler.newFactory());
        long started = System.nanoTime();
        loops.close(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(loops.group().isTerminated()).isTrue();
    }
}
