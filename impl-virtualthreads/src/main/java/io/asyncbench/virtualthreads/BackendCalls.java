package io.asyncbench.virtualthreads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's fan-out on an executor: where a request's backend calls run, each a blocking
 * exchange on a thread, and how they are gathered. The one place where the two kinds of thread
 * are not used the same way ({@link ThreadKind#backendCalls}).
 *
 * <p>A request opens a {@link Scope}, starts its calls in it, cancels those it no longer waits for
 * (interrupting a call closes its socket), and closes the scope: {@code close()} returns only once
 * every call started in it has returned, so each call's connection is back in the pool or closed
 * before the request's answer is written, whichever kind of thread ran it.
 *
 * <p>The gather ({@link #gather}) is the same for both: a {@link CompletionService} hands back the
 * calls in the order they finish, so the first failure ends it at once, and it waits at most until
 * the deadline; then every call still out is cancelled with {@code cancel(true)}.
 */
sealed interface BackendCalls extends FanOut {

    /** Opens the scope of one request. Used by that request's thread only. */
    Scope open();

    @Override
    default Outcome gather(int count, Calls calls, long deadlineNanos) throws InterruptedException {
        List<Future<Void>> started = new ArrayList<>(count);
        try (Scope scope = open()) {
            CompletionService<Void> finished = new ExecutorCompletionService<>(scope);
            try {
                for (int i = 0; i < count; i++) {
                    if (!calls.admit(i, deadlineNanos)) {
                        return Outcome.DEADLINE;
                    }
                    int call = i;
                    started.add(finished.submit(() -> {
                        calls.run(call);
                        return null;
                    }));
                }
                for (int i = 0; i < count; i++) {
                    Future<Void> call = finished.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (call == null) {
                        return Outcome.DEADLINE;
                    }
                    call.get(); // throws if this call failed
                }
                return Outcome.GATHERED;
            } catch (ExecutionException failed) {
                return Outcome.FAILED;
            } finally {
                // Whatever ended the gather, calls still out are cancelled; scope.close() then
                // waits for them, and they return as soon as the interrupt closes their socket.
                started.forEach(call -> call.cancel(true));
            }
        }
    }

    /** One request's calls: {@code execute} starts one; {@code close} waits until all have returned. */
    interface Scope extends Executor, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Virtual threads: a new thread per call, in an executor per request that is the scope (what
     * {@code StructuredTaskScope} formalises: the {@code structured} strategy's fan-out). Starting one costs a small heap object and no OS
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
