package io.asyncbench.virtualthreads;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.StrategyThreads;
import io.asyncbench.virtualthreads.FanOut.Outcome;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's gather, apart from any socket: every {@link FanOut} (an executor and a completion
 * queue on virtual or platform threads, a {@code StructuredTaskScope} for structured) ends at the
 * deadline or the first failure by cancelling the calls still out, and returns only once they
 * have all returned. The scope's whole point, checked against the executors' hand-made version.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanOutTest {

    private static final long DEADLINE_MS = 300;

    static Stream<BlockingStrategy> strategies() {
        return BlockingStrategyTest.strategies();
    }

    /** Calls that record how each ended; {@code behaviour} decides what call i does. */
    private static final class Recorded implements FanOut.Calls {
        interface Behaviour {
            void run(int call) throws Exception;
        }

        final Behaviour behaviour;
        final Set<Integer> started = ConcurrentHashMap.newKeySet();
        final Set<Integer> interrupted = ConcurrentHashMap.newKeySet();
        final AtomicInteger running = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final int admitted;

        Recorded(int admitted, Behaviour behaviour) {
            this.admitted = admitted;
            this.behaviour = behaviour;
        }

        @Override
        public boolean admit(int call, long deadlineNanos) throws InterruptedException {
            if (call < admitted) {
                return true;
            }
            TimeUnit.NANOSECONDS.sleep(deadlineNanos - System.nanoTime()); // no connection comes back
            return false;
        }

        @Override
        public void run(int call) throws Exception {
            started.add(call);
            threads.add(Thread.currentThread().getName());
            running.incrementAndGet();
            try {
                behaviour.run(call);
            } catch (InterruptedException e) {
                interrupted.add(call);
                throw e;
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private static void blockForever() throws InterruptedException {
        new CountDownLatch(1).await();
    }

    private static Outcome gather(BlockingStrategy strategy, int count, Recorded calls, long deadlineMs)
            throws InterruptedException {
        try (FanOut fanOut = strategy.fanOut()) {
            return fanOut.gather(count, calls, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs));
        }
    }

    @ParameterizedTest(name = "[{0}] the deadline cancels every call still out, and waits for them")
    @MethodSource("strategies")
    void theDeadlineCancelsTheOtherCalls(BlockingStrategy strategy) throws Exception {
        Recorded calls = new Recorded(4, call -> {
            if (call != 0) {
                blockForever(); // a silent backend
            }
        });
        long start = System.nanoTime();
        Outcome outcome = gather(strategy, 4, calls, DEADLINE_MS);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(outcome).isEqualTo(Outcome.DEADLINE);
        assertThat(elapsedMs).as("not before the deadline, and not long after").isBetween(DEADLINE_MS, 5_000L);
        assertThat(calls.started).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(calls.interrupted).as("the calls still out were cancelled").containsExactlyInAnyOrder(1, 2, 3);
        assertThat(calls.running).as("and had returned when the gather did").hasValue(0);
        assertThat(calls.threads).allMatch(name -> name.startsWith(StrategyThreads.prefix(strategy.id()) + "backend-"));
    }

    @ParameterizedTest(name = "[{0}] the first failure cancels the other calls at once")
    @MethodSource("strategies")
    void theFirstFailureCancelsTheOtherCalls(BlockingStrategy strategy) throws Exception {
        Recorded calls = new Recorded(3, call -> {
            if (call == 1) {
                throw new IOException("backend refused");
            }
            blockForever();
        });
        long start = System.nanoTime();
        Outcome outcome = gather(strategy, 3, calls, 20_000);

        assertThat(outcome).isEqualTo(Outcome.FAILED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("without waiting for the deadline").isLessThan(10_000);
        // A call the failure overtook before it ran is never started: only those that did are interrupted.
        Set<Integer> others = new HashSet<>(calls.started);
        others.remove(1);
        assertThat(calls.started).contains(1);
        assertThat(calls.interrupted).as("the others that started were cancelled").isEqualTo(others);
        assertThat(calls.running).hasValue(0);
    }

    @ParameterizedTest(name = "[{0}] every call returning gathers them")
    @MethodSource("strategies")
    void everyCallReturningGathers(BlockingStrategy strategy) throws Exception {
        Recorded calls = new Recorded(8, call -> TimeUnit.MILLISECONDS.sleep(10 * call));
        assertThat(gather(strategy, 8, calls, 20_000)).isEqualTo(Outcome.GATHERED);
        assertThat(calls.started).hasSize(8);
        assertThat(calls.interrupted).isEmpty();
    }

    @ParameterizedTest(name = "[{0}] a call that cannot start by the deadline makes it 504, even if the others returned")
    @MethodSource("strategies")
    void aCallNeverAdmittedIsTheDeadline(BlockingStrategy strategy) throws Exception {
        Recorded calls = new Recorded(2, call -> { });
        assertThat(gather(strategy, 4, calls, DEADLINE_MS)).isEqualTo(Outcome.DEADLINE);
        assertThat(calls.started).as("the calls after it never start").containsExactlyInAnyOrder(0, 1);
        assertThat(List.copyOf(calls.interrupted)).isEmpty();
    }
}
