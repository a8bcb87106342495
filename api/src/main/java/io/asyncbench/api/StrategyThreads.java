package io.asyncbench.api;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the threads a strategy creates: {@code asyncbench-<strategy>-<role>-<n>}. Stack traces,
 * profiles and thread dumps then say at once which strategy a thread belongs to, and the
 * conformance suite can prove that {@link RunningServer#close()} left none of them alive.
 */
public final class StrategyThreads {

    /** The prefix of every thread name of {@code strategyId}. */
    public static String prefix(String strategyId) {
        return "asyncbench-" + strategyId + "-";
    }

    /** Platform threads named {@code asyncbench-<strategyId>-<role>-<n>}, n counting from 1. */
    public static ThreadFactory platform(String strategyId, String role, boolean daemon) {
        AtomicInteger counter = new AtomicInteger();
        String base = prefix(strategyId) + role + "-";
        return runnable -> {
            Thread thread = new Thread(runnable, base + counter.incrementAndGet());
            thread.setDaemon(daemon);
            return thread;
        };
    }

    /** Virtual threads named {@code asyncbench-<strategyId>-<role>-<n>}, n counting from 1. */
    public static ThreadFactory virtual(String strategyId, String role) {
        return Thread.ofVirtual().name(prefix(strategyId) + role + "-", 1).factory();
    }

    private StrategyThreads() {
    }
}
