package io.asyncbench.callbacks;

import io.asyncbench.api.StrategyThreads;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A factory of named daemon threads that remembers what it made: an executor's awaitTermination
 * returns while its last thread is still on its way out, and close() promises that none is alive.
 */
final class CallbacksThreads implements ThreadFactory {

    private final ThreadFactory named;
    private final List<Thread> made = new CopyOnWriteArrayList<>();

    /** Threads named {@code asyncbench-callbacks-<role>-<n>}. */
    CallbacksThreads(String role) {
        this.named = StrategyThreads.platform(CallbacksStrategy.ID, role, true);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = named.newThread(task);
        made.add(thread);
        return thread;
    }

    /** Whether every thread made has ended before {@code deadline} (System.nanoTime()). */
    boolean joinAll(long deadline) throws InterruptedException {
        for (Thread thread : made) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
