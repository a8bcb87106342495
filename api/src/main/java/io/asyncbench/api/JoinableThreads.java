package io.asyncbench.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon platform threads ({@code asyncbench-<strategy>-<role>-<n>}, see
 * {@link StrategyThreads}) that remember what they made, for executors, channel groups and
 * ForkJoinPools alike. An executor's {@code awaitTermination} returns while its last thread is
 * still on its way out, and {@link RunningServer#close()} promises that none is alive: so the
 * owner stops what runs on them with {@link #terminate}, which waits for both.
 *
 * <p>Threads are made when a pool starts one, never per task: the list of them costs nothing on
 * any request's path.
 */
public final class JoinableThreads implements ThreadFactory, ForkJoinPool.ForkJoinWorkerThreadFactory {

    /** How long {@link #terminate} waits for the work to stop and the threads to end. */
    public static final long CLOSE_TIMEOUT_SECONDS = 10;

    /** What {@link #terminate} waits on: an executor's or a channel group's awaitTermination. */
    @FunctionalInterface
    public interface Termination {
        boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;
    }

    private final String base;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<Thread> made = new CopyOnWriteArrayList<>();

    /** Threads named {@code asyncbench-<strategyId>-<role>-<n>}, n counting from 1. */
    public JoinableThreads(String strategyId, String role) {
        this.base = StrategyThreads.prefix(strategyId) + role + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, base + counter.incrementAndGet());
        thread.setDaemon(true);
        made.add(thread);
        return thread;
    }

    /** For a ForkJoinPool, whose workers must be ForkJoinWorkerThreads: the default one, renamed. */
    @Override
    public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName(base + counter.incrementAndGet());
        thread.setDaemon(true);
        made.add(thread);
        return thread;
    }

    /** Whether every thread made has ended before {@code deadline} ({@link System#nanoTime()}). */
    public boolean joinAll(long deadline) throws InterruptedException {
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

    /**
     * After the owner's {@code shutdownNow()}: waits, {@value #CLOSE_TIMEOUT_SECONDS} s at most,
     * for the work to stop and for every thread to end. An interrupt ends the wait and is kept.
     *
     * @param what names the threads in the exception ("timer", "channel group")
     * @throws IllegalStateException if a thread is still running after the timeout
     */
    public void terminate(String what, Termination termination) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        try {
            if (!termination.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !joinAll(deadline)) {
                throw new IllegalStateException(what + " threads still running after "
                        + CLOSE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
