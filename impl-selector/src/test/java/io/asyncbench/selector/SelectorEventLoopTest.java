package io.asyncbench.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop on its own, driven from the test thread the way asyncio's test_events drives a loop:
 * schedule callbacks, then {@code runForever()} until one of them stops it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelectorEventLoopTest {

    private SelectorEventLoop loop;
    private final List<Throwable> reported = new ArrayList<>();

    @BeforeEach
    void openLoop() throws Exception {
        loop = new SelectorEventLoop(Limits.DEFAULTS);
        loop.setExceptionHandler((message, exc) -> reported.add(exc));
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            loop.callSoon(() -> order.add(n));
        }
        loop.callSoon(loop::stop);
        loop.runForever();
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void callbacksScheduledByACallbackWaitForTheNextIteration() {
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            order.add("first");
            loop.callSoon(() -> order.add("scheduled by first"));
        });
        loop.callSoon(() -> order.add("second"));
        loop.callSoon(loop::stop);
        loop.runForever();
        // stop() ends the iteration it ran in; what "first" scheduled is still queued.
        assertThat(order).containsExactly("first", "second");
        loop.callSoon(loop::stop);
        loop.runForever();
        assertThat(order).containsExactly("first", "second", "scheduled by first");
    }

    @Test
    void callLaterRunsTimersInDueOrderAndSkipsCancelledOnes() {
        List<String> order = new ArrayList<>();
        // One base time, so a descheduled test thread cannot reorder what it schedules.
        long now = loop.time();
        loop.callAt(now + millis(30), () -> order.add("30 ms"));
        loop.callAt(now + millis(10), () -> order.add("10 ms"));
        TimerHandle cancelled = loop.callAt(now + millis(20), () -> order.add("cancelled"));
        loop.callAt(now + millis(20), () -> order.add("20 ms, first"));
        loop.callAt(now + millis(20), () -> order.add("20 ms, second"));
        TimerHandle stop = loop.callLater(40, TimeUnit.MILLISECONDS, loop::stop);
        cancelled.cancel();

        loop.runForever();

        assertThat(order).containsExactly("10 ms", "20 ms, first", "20 ms, second", "30 ms");
        assertThat(cancelled.cancelled()).isTrue();
        assertThat(loop.time() - stop.when()).as("never early").isNotNegative();
        assertThat(stop.when() - now).isGreaterThanOrEqualTo(millis(40));
        assertThat(loop.scheduledTimers()).isZero();
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aTimerCancelledByAnEarlierCallbackOfTheSameIterationDoesNotRun() {
        List<String> order = new ArrayList<>();
        long when = loop.time();
        TimerHandle[] second = new TimerHandle[1];
        loop.callAt(when, () -> {
            order.add("first");
            second[0].cancel();
        });
        second[0] = loop.callAt(when, () -> order.add("second"));
        loop.callLater(5, TimeUnit.MILLISECONDS, loop::stop);
        loop.runForever();
        assertThat(order).containsExactly("first");
    }

    @Test
    void mostlyCancelledTimerHeapIsRebuiltLazily() {
        List<TimerHandle> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            handles.add(loop.callLater(1, TimeUnit.HOURS, () -> { }));
        }
        handles.subList(0, 600).forEach(TimerHandle::cancel);
        assertThat(loop.scheduledTimers()).as("cancel() only marks").isEqualTo(1000);
        loop.callSoon(loop::stop);
        loop.runForever();
        assertThat(loop.scheduledTimers()).as("more than half cancelled: dropped in one go")
                .isEqualTo(400);
    }

    @Test
    void anExceptionInACallbackIsReportedAndTheLoopGoesOn() {
        IllegalStateException boom = new IllegalStateException("boom");
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            throw boom;
        });
        loop.callLater(1, TimeUnit.MILLISECONDS, () -> {
            throw boom;
        });
        loop.callSoon(() -> order.add("after the failing callback"));
        loop.callLater(10, TimeUnit.MILLISECONDS, () -> {
            order.add("timer after the failing timer");
            loop.stop();
        });
        loop.runForever();
        assertThat(order).containsExactly("after the failing callback", "timer after the failing timer");
        assertThat(reported).containsExactly(boom, boom);
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedInSelect() throws Exception {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform().name("asyncbench-selector-test-loop").start(loop::runForever);
        try {
            // No callback and no timer: the loop blocks in select with no timeout.
            waitUntilBlockedInSelect(runner);
            CountDownLatch onLoop = new CountDownLatch(1);
            loop.callSoonThreadsafe(() -> {
                assertThat(loop.inEventLoop()).isTrue();
                onLoop.countDown();
                ran.complete(null);
            });
            assertThat(onLoop.await(5, TimeUnit.SECONDS)).as("the blocked select was woken").isTrue();
            ran.get(5, TimeUnit.SECONDS);
        } finally {
            loop.stop();
            runner.join(TimeUnit.SECONDS.toMillis(5));
        }
        assertThat(runner.isAlive()).isFalse();
    }

    @Test
    void callSoonFromAnotherThreadWhileRunningIsRejected() throws Exception {
        Thread runner = Thread.ofPlatform().start(loop::runForever);
        try {
            waitUntilBlockedInSelect(runner);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> loop.callSoon(() -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("callSoonThreadsafe");
        } finally {
            loop.stop();
            runner.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    @Test
    void submitCompletesWithTheTasksOutcome() throws Exception {
        Thread runner = Thread.ofPlatform().start(loop::runForever);
        try {
            assertThat(loop.submit(() -> { }).get(5, TimeUnit.SECONDS)).isNull();
            CompletableFuture<Void> failed = loop.submit(() -> {
                throw new IllegalArgumentException("no");
            });
            org.assertj.core.api.Assertions.assertThat(failed)
                    .failsWithin(5, TimeUnit.SECONDS)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(IllegalArgumentException.class);
        } finally {
            loop.stop();
            runner.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** Polls the loop thread's stack until it sits in the selector's blocking wait. */
    static void waitUntilBlockedInSelect(Thread runner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Arrays.stream(runner.getStackTrace())
                .noneMatch(frame -> frame.getMethodName().equals("doSelect"))) {
            assertThat(System.nanoTime()).as("the loop reached select").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
