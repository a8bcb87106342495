package io.asyncbench.selector;

import io.asyncbench.api.Limits;
import io.asyncbench.api.StrategyThreads;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * N {@link SelectorEventLoop}s, each running forever on its own platform thread named
 * {@code asyncbench-<strategy>-loop-<n>}. asyncio runs one loop per thread and leaves the rest to
 * the user; this is that "rest": start N, hand work round-robin, stop and await them all.
 */
public final class SelectorLoopGroup implements AutoCloseable {

    private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final SelectorEventLoop[] loops;
    private final ExecutorService executor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private boolean closed;

    /** Opens {@code count} loops and starts each on its own thread. */
    public SelectorLoopGroup(String strategyId, int count, Limits limits) throws IOException {
        loops = new SelectorEventLoop[count];
        try {
            for (int i = 0; i < count; i++) {
                loops[i] = new SelectorEventLoop(limits);
            }
        } catch (IOException | RuntimeException e) {
            for (SelectorEventLoop loop : loops) {
                SelectorEventLoop.closeQuietly(loop);
            }
            throw e;
        }
        ThreadFactory names = StrategyThreads.platform(strategyId, "loop", true);
        executor = Executors.newThreadPerTaskExecutor(runnable -> {
            Thread thread = names.newThread(runnable);
            threads.add(thread); // kept to join: the executor may terminate just before they exit
            return thread;
        });
        for (SelectorEventLoop loop : loops) {
            executor.execute(() -> {
                try {
                    loop.runForever();
                } finally {
                    loop.close();
                }
            });
        }
        // Return only once every loop runs, so callers never race a loop that has no thread yet.
        for (SelectorEventLoop loop : loops) {
            loop.submit(() -> { }).join();
        }
    }

    public int size() {
        return loops.length;
    }

    public SelectorEventLoop get(int index) {
        return loops[index];
    }

    /**
     * Stops every loop (each closes its remaining transports, then its selector) and waits, up to
     * 10 seconds, until their threads have ended. Idempotent.
     *
     * @throws IllegalStateException if a loop thread did not end in time
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SelectorEventLoop loop : loops) {
            loop.stop();
        }
        executor.shutdown();
        long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
        boolean interrupted = false;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException(thread.getName() + " did not stop in 10 s");
                    }
                    try {
                        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        interrupted = true; // finish closing; report the interrupt afterwards
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
