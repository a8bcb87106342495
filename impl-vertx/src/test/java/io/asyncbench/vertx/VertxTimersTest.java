package io.asyncbench.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VertxTimersTest {

    @Test
    void roundsDelaysUpToWholeMillisecondsNeverDown() {
        assertThat(VertxTimers.millisNotEarly(0)).isEqualTo(1);
        assertThat(VertxTimers.millisNotEarly(1)).isEqualTo(1);
        assertThat(VertxTimers.millisNotEarly(1_000_000)).isEqualTo(1);
        assertThat(VertxTimers.millisNotEarly(1_000_001)).isEqualTo(2);
        assertThat(VertxTimers.millisNotEarly(TimeUnit.SECONDS.toNanos(2))).isEqualTo(2000);
    }

    @Test
    void oneLanePerEventLoopAndEverySleepWakes() throws Exception {
        try (TimerFanOut timers = new VertxStrategy().timers(3)) {
            TimerReport report = timers.sleepAndGather(300, Duration.ofMillis(5));
            assertThat(report.tasks()).isEqualTo(300);
        }
        try (VertxTimers sleeper = new VertxTimers("vertx-lanes", 3)) {
            assertThat(sleeper.lanes()).isEqualTo(3);
        }
    }
}
