package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timers harness on synthetic sleepers: what it asks of a style, and what it reports. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimerFanOutTest {

    /** Keeps every wake-up asked for; the test decides when each runs. */
    private static class HeldSleeper implements Sleeper {
        final List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        final List<Runnable> wakes = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean closed = new AtomicBoolean();
        TimerFanOut.Capacity capacity = TimerFanOut.Capacity.unbounded();

        @Override
        public TimerFanOut.Capacity capacity() {
            return capacity;
        }

        @Override
        public void wakeAfter(long delayNanos, Runnable wake) {
            delays.add(delayNanos);
            wakes.add(wake);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void asksEachTaskOnceForTheDelayAndGathersOnlyOnceTheLastHasWoken() throws Exception {
        HeldSleeper sleeper = new HeldSleeper();
        try (TimerFanOut timers = new TimerFanOut(sleeper)) {
            CompletableFuture<TimerReport> gather = CompletableFuture.supplyAsync(() -> gather(timers, 5, Duration.ofMillis(7)));
            Poll.until(() -> sleeper.wakes.size() == 5);
            assertThat(sleeper.delays).containsOnly(TimeUnit.MILLISECONDS.toNanos(7));

            for (int i = 4; i >= 1; i--) { // in any order; the first task last
                sleeper.wakes.get(i).run();
            }
            assertThat(gather).as("one task still asleep").isNotDone();
            sleeper.wakes.get(0).run();

            TimerReport report = gather.get(10, TimeUnit.SECONDS);
            assertThat(report.tasks()).isEqualTo(5);
            assertThat(report.delayNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
            assertThat(report.latenessNanos()).hasSize(5);
        }
        assertThat(sleeper.closed).as("closing the fan-out closes the sleeper").isTrue();
    }

    @Test
    void latenessIsTheWakeUpAfterTheDueTimeOfEachTask() throws Exception {
        // A task woken as soon as it is asked for wakes d early: its lateness is -d, near enough.
        HeldSleeper sleeper = new HeldSleeper() {
            @Override
            public void wakeAfter(long delayNanos, Runnable wake) {
                wake.run();
            }
        };
        long delay = TimeUnit.SECONDS.toNanos(100);
        TimerReport report = new TimerFanOut(sleeper).sleepAndGather(3, Duration.ofNanos(delay));
        assertThat(Arrays.stream(report.latenessNanos()).boxed()).allSatisfy(lateness ->
                assertThat(lateness).isBetween(-delay, -delay + TimeUnit.SECONDS.toNanos(10)));
        assertThat(report.overheadNanos()).as("elapsed well under the delay it did not wait").isNegative();
    }

    @Test
    void aStyleThatSleepsAtLeastTheDelayIsNeverLate() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            HeldSleeper sleeper = new HeldSleeper() {
                @Override
                public void wakeAfter(long delayNanos, Runnable wake) {
                    timer.schedule(wake, delayNanos, TimeUnit.NANOSECONDS);
                }
            };
            Duration delay = Duration.ofMillis(20);
            TimerReport report = new TimerFanOut(sleeper).sleepAndGather(200, delay);
            assertThat(Arrays.stream(report.latenessNanos()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
            assertThat(report.elapsedNanos()).isGreaterThanOrEqualTo(delay.toNanos());
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void spreadsTheTasksEvenlyOverTheLanesEachAskedOnItsOwnThread() throws Exception {
        ExecutorService[] laneThreads = {Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor(),
                Executors.newSingleThreadExecutor()};
        Map<String, Integer> askedOn = new ConcurrentHashMap<>();
        HeldSleeper sleeper = new HeldSleeper() {
            @Override
            public int lanes() {
                return 3;
            }

            @Override
            public void inLane(int lane, Runnable asking) {
                laneThreads[lane].execute(asking);
            }

            @Override
            public void wakeAfter(long delayNanos, Runnable wake) {
                askedOn.merge(Thread.currentThread().getName(), 1, Integer::sum);
                laneThreads[0].execute(wake); // wake-ups may run on any of the style's threads
            }
        };
        try {
            new TimerFanOut(sleeper).sleepAndGather(10, Duration.ZERO);
            assertThat(askedOn.values()).containsExactlyInAnyOrder(4, 3, 3);
            assertThat(askedOn.keySet()).noneMatch(name -> name.equals(Thread.currentThread().getName()));

            askedOn.clear();
            new TimerFanOut(sleeper).sleepAndGather(2, Duration.ZERO);
            assertThat(askedOn.values()).as("no more lanes than tasks").containsExactlyInAnyOrder(1, 1);
        } finally {
            for (ExecutorService lane : laneThreads) {
                lane.shutdownNow();
            }
        }
    }

    @Test
    void refusesMoreTasksThanTheStyleHoldsWithItsReason() {
        HeldSleeper sleeper = new HeldSleeper();
        sleeper.capacity = new TimerFanOut.Capacity(5, "five threads at most here");
        TimerFanOut timers = new TimerFanOut(sleeper);
        assertThat(timers.capacity()).isEqualTo(sleeper.capacity);
        assertThatThrownBy(() -> timers.sleepAndGather(6, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("five threads at most here");
        assertThatThrownBy(() -> timers.sleepAndGather(0, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> timers.sleepAndGather(1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThat(sleeper.wakes).as("nothing asked of the style").isEmpty();
    }

    private static TimerReport gather(TimerFanOut timers, int tasks, Duration delay) {
        try {
            return timers.sleepAndGather(tasks, delay);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition the test cannot be told about, every millisecond, for 10 s at most. */
    private static final class Poll {
        static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not reached in 10 s");
                }
                Thread.sleep(1);
            }
        }
    }
}
