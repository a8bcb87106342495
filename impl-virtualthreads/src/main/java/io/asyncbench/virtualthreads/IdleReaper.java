package io.asyncbench.virtualthreads;

import io.asyncbench.api.IdleSweep;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The idle timeout of a blocking server, checked lazily: one thread per server (of the server's
 * {@link ThreadKind}) sleeps until the earliest deadline among the connections blocked in a read,
 * then ends the reads that are overdue with {@link SocketChannel#shutdownInput()}, which makes a
 * blocked read return end of stream at once (on a virtual thread, the poller unparks it).
 *
 * <p>Why not the socket's read timeout: on a virtual thread every timed read arms and cancels a
 * timer, and the timeout is only honoured by the socket adaptor's stream, a layer over the
 * channel. Here a read is a plain {@code channel.read} and costs two field stores
 * ({@link IdleDeadline}); the timeout costs a wake-up per timeout period, as in the selector and
 * in Netty, plus one per connection that actually times out.
 *
 * <p>The clock, the deadlines and when to sweep next are api's {@link IdleSweep}, shared by the
 * styles that check the idle timeout lazily; this class only says how a blocking style waits.
 */
final class IdleReaper implements AutoCloseable {

    private final IdleSweep idle;
    /** Connections being served: added when their thread starts, removed when it ends. */
    private final Map<SocketChannel, IdleDeadline> connections = new ConcurrentHashMap<>();
    private final ExecutorService thread;

    private IdleReaper(Duration timeout, ThreadFactory threadFactory) {
        this.idle = new IdleSweep(timeout);
        this.thread = Executors.newThreadPerTaskExecutor(threadFactory);
    }

    /** Starts the reaper's thread; {@link #close()} stops it. */
    static IdleReaper start(Duration timeout, ThreadFactory threadFactory) {
        IdleReaper reaper = new IdleReaper(timeout, threadFactory);
        reaper.thread.execute(reaper::run);
        return reaper;
    }

    /** Starts watching a connection; the caller must {@link #forget} it when it ends. */
    IdleDeadline watch(SocketChannel channel) {
        IdleDeadline deadline = new IdleDeadline();
        connections.put(channel, deadline);
        return deadline;
    }

    void forget(SocketChannel channel) {
        connections.remove(channel);
    }

    /**
     * A blocking read from {@code channel} into {@code buffer} that gives up after the idle
     * timeout: returns what {@link SocketChannel#read} returns (bytes read, or -1 at the client's
     * end of stream), and throws {@link SocketTimeoutException} when the reaper ended the wait, so
     * that the idle timeout ends the connection as an error, like any read timeout.
     */
    int read(SocketChannel channel, IdleDeadline deadline, ByteBuffer buffer) throws IOException {
        deadline.waitingUntil(idle.deadlineFromNow());
        int read;
        try {
            read = channel.read(buffer);
        } finally {
            deadline.notWaiting();
        }
        if (read < 0 && deadline.expired()) {
            throw new SocketTimeoutException("nothing received for " + idle.timeout());
        }
        return read;
    }

    /** The reaper's clock: nanoseconds since it started. */
    long now() {
        return idle.now();
    }

    private void run() {
        try {
            while (true) {
                long now = idle.now();
                long earliest = sweep(connections, now, IdleReaper::endRead);
                TimeUnit.NANOSECONDS.sleep(idle.delayAfterSweep(now, earliest));
            }
        } catch (InterruptedException closing) {
            // close(): the server is going away
        }
    }

    /**
     * One pass over the connections at {@code now}: claims the expiry of every read whose
     * deadline has passed, handing its connection to {@code endRead}, and returns the earliest
     * deadline still to come ({@link IdleDeadline#NOT_WAITING} if none). A read that returned
     * meanwhile is not claimed ({@link IdleDeadline#expireIfOverdue}).
     */
    static <C> long sweep(Map<C, IdleDeadline> connections, long now, Consumer<C> endRead) {
        return IdleSweep.sweep(connections.entrySet(), connection -> connection.getValue().deadline(), now,
                connection -> {
                    if (connection.getValue().expireIfOverdue(now)) {
                        endRead.accept(connection.getKey());
                    }
                });
    }

    /** Makes the blocked read return end of stream; the serving thread then sees it expired. */
    private static void endRead(SocketChannel channel) {
        try {
            channel.shutdownInput();
        } catch (IOException closedMeanwhile) {
            // The connection ended on its own between the sweep and now: nothing to end.
        }
    }

    /** Stops the thread and waits for it; the server calls it once its connections have ended. */
    @Override
    public void close() {
        thread.shutdownNow(); // interrupts the sleep
        BlockingServer.awaitTermination(thread, "idle reaper");
    }
}
