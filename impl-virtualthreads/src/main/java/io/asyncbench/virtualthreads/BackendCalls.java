package io.asyncbench.virtualthreads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Where the gateway runs a request's backend calls, each a blocking exchange on a thread: the one
 * place where the two kinds of thread are not used the same way ({@link ThreadKind#backendCalls}).
 *
 * <p>A request opens a {@link Scope}, starts its calls in it, cancels those it no longer waits for
 * (interrupting a call closes its socket), and closes the scope: {@code close()} returns only once
 * every call started in it has returned, so each call's connection is back in the pool or closed
 * before the request's answer is written, whichever kind of thread ran it.
 */
sealed interface BackendCalls extends AutoCloseable {

    /** Opens the scope of one request. Used by that request's thread only. */
    Scope open();

    /** Ends the threads kept between requests, if any. Called once no request is running. */
    @Override
    void close();

    /** One request's calls: {@code execute} starts one; {@code close} waits until all have returned. */
    interface Scope extends Executor, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Virtual threads: a new thread per call, in an executor per request that is the scope (what
     * {@code StructuredTaskScope} formalises). Starting one costs a small heap object and no OS
     * thread; JEP 444: "virtual threads should never be pooled".
     */
    record ThreadPerCall(ThreadFactory threads) implements BackendCalls {

        @Override
        public Scope open() {
            return new PerRequestExecutor(Executors.newThreadPerTaskExecutor(threads));
        }

        @Override
        public void close() {
        }

        /** ExecutorService.close() waits for the executor's threads (interrupting them if interrupted). */
        private record PerRequestExecutor(ExecutorService threads) implements Scope {
            @Override
            public void execute(Runnable call) {
                threads.execute(call);
            }

            @Override
            public void close() {
                threads.close();
            }
        }
    }

    /**
     * Platform threads: one cached pool per server, whose idle threads take the next calls.
     * Starting and ending K OS threads per request, as virtual threads do, measured about 2,000 µs
     * of server CPU per request at K=4 (the selector: 78 µs); this pool, about 350 µs (wrk, 64
     * connections): the first would benchmark how not to write it. The scope keeps the pool's
     * future of each of its calls and waits on every one; that future completes once the call's
     * run() has returned, cancelled or not (a FutureTask delivers the interrupt of cancel(true)
     * before its run() returns, and the pool clears it before that thread's next task).
     */
    final class Pooled implements BackendCalls {

        /** The pool's threads have no call left when close() runs: they should end at once. */
        private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

        /** Every thread the pool started and that may still be alive, so close() can join them. */
        private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        private final ExecutorService pool;

        Pooled(ThreadFactory factory) {
            this.pool = Executors.newCachedThreadPool(task -> {
                threads.removeIf(thread -> !thread.isAlive()); // ended after 60 s idle
                Thread thread = factory.newThread(task);
                threads.add(thread);
                return thread;
            });
        }

        @Override
        public Scope open() {
            List<Future<?>> calls = new ArrayList<>();
            return new Scope() {
                @Override
                public void execute(Runnable call) {
                    calls.add(pool.submit(call));
                }

                @Override
                public void close() {
                    awaitReturned(calls);
                }
            };
        }

        /** Waits for every call, even when interrupted (the server closing): the request cancelled them. */
        private static void awaitReturned(List<Future<?>> calls) {
            boolean interrupted = false;
            for (Future<?> call : calls) {
                while (true) {
                    try {
                        call.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        break; // the request's own future holds the call's failure
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Shuts the pool down and joins its threads, so none outlives the server. */
        @Override
        public void close() {
            BlockingServer.awaitTermination(pool, "backend call");
            boolean interrupted = false;
            long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
            try {
                for (Thread thread : threads) {
                    while (thread.isAlive()) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new IllegalStateException(thread.getName() + " still alive "
                                    + JOIN_TIMEOUT + " after its pool terminated");
                        }
                        try {
                            thread.join(Duration.ofNanos(left));
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                }
                threads.clear();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
