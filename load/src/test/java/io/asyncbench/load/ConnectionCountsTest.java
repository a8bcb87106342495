package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What each connection completed, and how long each went without completing anything. */
@Timeout(30)
class ConnectionCountsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void everyCompletionIsCountedOnItsConnection() throws Exception {
        try (Servers server = new Servers(Servers.echo(-1));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(512), server.address(), 4, 8, TIMEOUT)) {
            loop.awaitCompletion(); // the first reply: outside the count
            loop.countConnections();
            long before = loop.completed();
            for (int i = 0; i < 400; i++) {
                loop.awaitCompletion();
            }
            loop.pauseCounting();
            ConnectionCounts counts = loop.connectionCounts();
            assertThat(counts.firstIndex()).isEqualTo(8);
            assertThat(counts.connections()).isEqualTo(4);
            assertThat(Arrays.stream(counts.completed()).sum()).isEqualTo(loop.completed() - before);
            assertThat(Arrays.stream(counts.completed()).min().orElseThrow()).as("every connection").isPositive();
        }
    }

    @Test
    void aHeldReplyIsEachConnectionsLongestGap() throws Exception {
        long held = 300;
        CountDownLatch counting = new CountDownLatch(1); // the stall must fall wholly inside the count
        try (Servers server = new Servers(Servers.stallingEcho(512, 3, held, counting));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(512), server.address(), 2, 0, TIMEOUT)) {
            loop.countConnections();
            counting.countDown();
            for (int i = 0; i < 20; i++) {
                loop.awaitCompletion();
            }
            ConnectionCounts counts = loop.connectionCounts();
            assertThat(Arrays.stream(counts.longestGapNanos()).min().orElseThrow()).as("every connection's")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(held));
            assertThat(counts.countedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(held));
        }
    }

    @Test
    void aPauseBetweenIterationsIsNoConnectionsGap() throws Exception {
        long pauseMillis = 1000;
        try (Servers server = new Servers(Servers.echo(-1));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(512), server.address(), 2, 0, TIMEOUT)) {
            long start = System.nanoTime();
            loop.countConnections();
            for (int i = 0; i < 50; i++) {
                loop.awaitCompletion();
            }
            loop.pauseCounting();
            long pausedAt = System.nanoTime();
            Thread.sleep(pauseMillis); // the time between two iterations, which no connection is asked to fill
            long paused = System.nanoTime() - pausedAt;
            loop.resumeCounting();
            for (int i = 0; i < 50; i++) {
                loop.awaitCompletion();
            }
            ConnectionCounts counts = loop.connectionCounts();
            long wall = System.nanoTime() - start;
            assertThat(Arrays.stream(counts.longestGapNanos()).max().orElseThrow()).as("every connection's")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            assertThat(counts.countedNanos()).as("the pause is not counted").isLessThanOrEqualTo(wall - paused);
        }
    }

    @Test
    void aConnectionThatNeverCompletesHasTheWholeCountAsItsGap() throws Exception {
        try (Servers server = new Servers(Servers.silent());
             ClientLoop loop = new ClientLoop(new Traffic.Echo(512), server.address(), 1, 0, TIMEOUT)) {
            loop.countConnections();
            long from = System.nanoTime();
            Thread.sleep(50); // time passes with nothing completed
            ConnectionCounts counts = loop.connectionCounts();
            long elapsed = System.nanoTime() - from;
            assertThat(counts.completed()).containsExactly(0);
            assertThat(counts.longestGapNanos()[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50))
                    .isLessThanOrEqualTo(counts.countedNanos()).isLessThanOrEqualTo(elapsed + 1_000_000);
        }
    }
}
