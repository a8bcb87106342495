package io.asyncbench.futures;

import io.asyncbench.api.StrategyThreads;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Named daemon threads of this strategy ({@code asyncbench-futures-<role>-<n>}) that remember what
 * they made: an executor's awaitTermination returns while its last thread is still on its way out,
 * and close() promises that none is alive, so owners join them too.
 */
final class FuturesThreads implements ThreadFactory, ForkJoinPool.ForkJoinWorkerThreadFactory {

    private final ThreadFactory named;
    private final String role;
    private final List<Thread> made = new CopyOnWriteArrayList<>();
    private int forkJoinWorkers;

    FuturesThreads(String role) {
        this.role = role;
        this.named = StrategyThreads.platform(FuturesStrategy.ID, role, true);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = named.newThread(task);
        made.add(thread);
        return thread;
    }

    /** For a ForkJoinPool, whose workers must be ForkJoinWorkerThreads: the default one, renamed. */
    @Override
    public synchronized ForkJoinWorkerThread newThread(ForkJoinPool pool) {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName(StrategyThreads.prefix(FuturesStrategy.ID) + role + "-" + ++forkJoinWorkers);
        thread.setDaemon(true);
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
