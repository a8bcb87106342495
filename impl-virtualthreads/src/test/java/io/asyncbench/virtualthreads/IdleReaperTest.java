package io.asyncbench.virtualthreads;

import static io.asyncbench.virtualthreads.TestSupport.connect;
import static io.asyncbench.virtualthreads.TestSupport.liveThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.StrategyThreads;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The idle reaper's claims on synthetic deadlines (the sweep's timing: api's IdleSweepTest), then its effect on real blocked reads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleReaperTest {

    private static final long NOT_WAITING = IdleDeadline.NOT_WAITING;

    @Test
    void expiresOnlyTheReadsPastTheirDeadlineAndReturnsTheEarliestStillToCome() {
        Map<String, IdleDeadline> connections = new LinkedHashMap<>();
        connections.put("overdue", waitingUntil(90));
        connections.put("due now", waitingUntil(100));
        connections.put("later", waitingUntil(250));
        connections.put("soonest", waitingUntil(130));
        connections.put("busy", new IdleDeadline()); // answering, not blocked in a read
        List<String> ended = new ArrayList<>();

        long earliest = IdleReaper.sweep(connections, 100, ended::add);

        assertThat(ended).containsExactly("overdue", "due now");
        assertThat(earliest).isEqualTo(130);
        assertThat(connections.get("overdue").expired()).isTrue();
        assertThat(connections.get("soonest").expired()).isFalse();
        assertThat(connections.get("busy").expired()).isFalse();
        assertThat(connections.get("overdue").deadline()).as("an expired read is not expired twice")
                .isEqualTo(NOT_WAITING);
        ended.clear();
        assertThat(IdleReaper.sweep(connections, 100, ended::add)).isEqualTo(130);
        assertThat(ended).isEmpty();
    }

    @Test
    void aReadThatReturnedBeforeTheReaperClaimedItIsNotExpired() {
        IdleDeadline deadline = waitingUntil(100);
        long seen = deadline.deadline();
        deadline.notWaiting();          // the read returned: the thread is busy answering
        deadline.waitingUntil(400);     // and blocked in its next read, due later
        assertThat(deadline.expire(seen)).as("the stale deadline the reaper saw").isFalse();
        assertThat(deadline.expired()).isFalse();
        assertThat(deadline.expire(NOT_WAITING)).isFalse();
        assertThat(deadline.expire(400)).isTrue();
        assertThat(deadline.expire(400)).as("once").isFalse();
    }

    @ParameterizedTest(name = "[{0}] a silent client's read ends as a timeout; a trickling one's never does")
    @EnumSource(ThreadKind.class)
    void endsASilentReadAsATimeoutAndLeavesAnActiveOneAlone(ThreadKind kind) throws Exception {
        String strategy = "reaper-test-" + kind.name().toLowerCase(java.util.Locale.ROOT);
        String prefix = StrategyThreads.prefix(strategy);
        Duration timeout = Duration.ofMillis(400);
        Duration trickle = Duration.ofMillis(80); // 5 times within a timeout
        int bytes = 10;                            // over two timeouts in all
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel silentClient = connect((InetSocketAddress) listener.getLocalAddress());
             SocketChannel silent = listener.accept();
             SocketChannel talkingClient = connect((InetSocketAddress) listener.getLocalAddress());
             SocketChannel talking = listener.accept();
             ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
            IdleReaper reaper = IdleReaper.start(timeout, kind.factory(strategy, "reaper"));
            try {
                assertThat(liveThreads(prefix)).singleElement().asString().startsWith(prefix + "reaper-");
                IdleDeadline silentDeadline = reaper.watch(silent);
                IdleDeadline talkingDeadline = reaper.watch(talking);

                long started = System.nanoTime();
                try (ExecutorService connThread =
                             Executors.newThreadPerTaskExecutor(kind.factory(strategy, "conn"))) {
                    // Blocked (platform) or parked (virtual) in the read, as a connection's thread is.
                    Future<Integer> read = connThread.submit(() -> reaper.read(silent, silentDeadline,
                            ByteBuffer.allocate(16)));
                    assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .cause().isInstanceOf(SocketTimeoutException.class);
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("not before the timeout").isGreaterThanOrEqualTo(timeout);

                Future<?> trickling = client.submit(() -> {
                    for (int i = 0; i < bytes; i++) {
                        TestSupport.writeFully(talkingClient, new byte[] {(byte) i});
                        Thread.sleep(trickle); // the pace is what is tested
                    }
                    talkingClient.shutdownOutput();
                    return null;
                });
                ByteBuffer received = ByteBuffer.allocate(bytes + 1);
                while (reaper.read(talking, talkingDeadline, received) >= 0) {
                    assertThat(received.position()).isLessThanOrEqualTo(bytes);
                }
                trickling.get(10, TimeUnit.SECONDS);
                assertThat(received.flip().remaining()).as("every byte, then the client's own end")
                        .isEqualTo(bytes);
                assertThat(talkingDeadline.expired()).isFalse();
                reaper.forget(silent);
                reaper.forget(talking);
            } finally {
                reaper.close();
            }
            assertThat(liveThreads(prefix)).as("close() ends the reaper").isEmpty();
        }
    }

    private static IdleDeadline waitingUntil(long deadline) {
        IdleDeadline idle = new IdleDeadline();
        idle.waitingUntil(deadline);
        return idle;
    }
}
