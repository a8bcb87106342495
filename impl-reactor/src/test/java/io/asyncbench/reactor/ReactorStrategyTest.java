package io.asyncbench.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The module's own logic: echo up to the FIN (END_OF_INPUT), the timers' own scheduler, and close(). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReactorStrategyTest {

    private static long liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(StrategyThreads.prefix(ReactorStrategy.ID)))
                .count();
    }

    @Test
    void echoesEverythingThenClosesAfterTheClientHalfCloses() throws Exception {
        byte[] sent = "hello, reactor\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        try (RunningServer server = new ReactorStrategy().start(ServerSpec.loopback(Workload.ECHO));
             Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(sent);
                    socket.shutdownOutput();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                received.write(chunk, 0, n);
            }
            writer.join();
            assertThat(received.toByteArray()).as("every byte back, then EOF").isEqualTo(sent);
            assertThat(server.counters().errors()).isZero();
        }
        assertThat(liveThreads()).as("close() ended the event loops").isZero();
    }

    @Test
    void sleepsOnItsOwnSchedulerNeverEarlyAndCloseEndsIt() throws Exception {
        CountDownLatch woke = new CountDownLatch(100);
        long start = System.nanoTime();
        long[] earliest = {Long.MAX_VALUE};
        try (Sleeper sleeper = new ReactorStrategy().sleepers().orElseThrow().apply(2)) {
            for (int i = 0; i < 100; i++) {
                sleeper.wakeAfter(TimeUnit.MILLISECONDS.toNanos(50), () -> {
                    synchronized (earliest) {
                        earliest[0] = Math.min(earliest[0], System.nanoTime() - start);
                    }
                    woke.countDown();
                });
            }
            assertThat(woke.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("asyncbench-reactor-timer-1"));
        }
        assertThat(earliest[0]).as("no wake before its delay").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(liveThreads()).as("close() ended the timer threads").isZero();
    }
}
