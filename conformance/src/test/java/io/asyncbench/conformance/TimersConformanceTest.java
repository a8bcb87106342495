package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import io.asyncbench.api.Workload;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The timers workload (asyncio.gather of N sleeps), checked the same way for every strategy. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TimersConformanceTest {

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    private static TimerFanOut timers(StrategyUnderTest strategy) {
        strategy.assumeServes(Workload.TIMERS);
        return strategy.strategy().timers(2);
    }

    private static void assertGathered(TimerReport report, int tasks, Duration delay) {
        assertThat(report.tasks()).isEqualTo(tasks);
        assertThat(report.delayNanos()).isEqualTo(delay.toNanos());
        assertThat(report.latenessNanos()).as("one wake-up per task").hasSize(tasks);
        assertThat(Arrays.stream(report.latenessNanos()).min().orElseThrow())
                .as("no task wakes before its due time").isGreaterThanOrEqualTo(0);
        assertThat(report.elapsedNanos()).as("the gather waits for the sleeps").isGreaterThanOrEqualTo(delay.toNanos());
    }

    @ParameterizedTest(name = "[{0}] timers 10,000 sleeps of 100 ms, gathered")
    @MethodSource("strategies")
    void gathersTenThousandSleeps(StrategyUnderTest strategy) throws Exception {
        try (TimerFanOut timers = timers(strategy)) {
            int tasks = Math.min(10_000, timers.capacity().maxTasks());
            Duration delay = Duration.ofMillis(100);
            assertGathered(timers.sleepAndGather(tasks, delay), tasks, delay);
            assertGathered(timers.sleepAndGather(1, delay), 1, delay);
        }
    }

    @ParameterizedTest(name = "[{0}] timers refuse more tasks than the stated capacity")
    @MethodSource("strategies")
    void statesItsCapacity(StrategyUnderTest strategy) throws Exception {
        try (TimerFanOut timers = timers(strategy)) {
            TimerFanOut.Capacity capacity = timers.capacity();
            assertThat(capacity.reason()).isNotBlank();
            assertThat(capacity.maxTasks()).isPositive();
            if (capacity.maxTasks() < Integer.MAX_VALUE) {
                assertThatThrownBy(() -> timers.sleepAndGather(capacity.maxTasks() + 1, Duration.ofMillis(1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(capacity.reason());
            }
        }
    }

    @ParameterizedTest(name = "[{0}] timers close() leaves no thread behind")
    @MethodSource("strategies")
    void closeFreesThreads(StrategyUnderTest strategy) throws Exception {
        TimerFanOut timers = timers(strategy);
        try {
            assertGathered(timers.sleepAndGather(100, Duration.ofMillis(10)), 100, Duration.ofMillis(10));
        } finally {
            timers.close();
        }
        assertThat(LiveThreads.named(StrategyThreads.prefix(strategy.id()))).isEmpty();
    }

    /** 1,000,000 sleeps: the heavy profile only ({@code ./mvnw verify -Pheavy}). */
    @Tag("heavy")
    @ParameterizedTest(name = "[{0}] timers 1,000,000 sleeps of 1 s, gathered")
    @MethodSource("strategies")
    void gathersAMillionSleeps(StrategyUnderTest strategy) throws Exception {
        try (TimerFanOut timers = timers(strategy)) {
            int tasks = Math.min(1_000_000, timers.capacity().maxTasks());
            Duration delay = Duration.ofSeconds(1);
            assertGathered(timers.sleepAndGather(tasks, delay), tasks, delay);
        }
    }
}
