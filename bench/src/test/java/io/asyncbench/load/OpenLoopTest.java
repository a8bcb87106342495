package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Open loop: requests leave at their intended times, and latency counts from those times. */
@Timeout(60)
class OpenLoopTest {

    @Test
    void theConnectionsTogetherSendEvenlyAtTheRate() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(1_000_000L, 1000, 4);
        assertThat(schedule.intervalNanos()).isEqualTo(4_000_000L);
        List<Long> times = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            for (int n = 0; n < 5; n++) {
                times.add(schedule.intended(j, n));
            }
        }
        times.sort(null);
        for (int k = 0; k < times.size(); k++) {
            assertThat(times.get(k)).isEqualTo(1_000_000L + k * 1_000_000L); // one every 1 ms
        }
        assertThat(schedule.firstIntended(3)).isEqualTo(4_000_000L);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> schedule.firstIntended(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsExactlyTheRequestsIntendedInTheMeasuredWindow() throws Exception {
        try (Servers server = new Servers(Servers.echo(-1))) {
            OpenLoop.Result result = OpenLoop.run(server.address(), new Traffic.Echo(64), 4, 1, 400,
                    Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(5));
            // 400/s for 0.5 s: 200 intended times fall in the window, give or take the edges
            assertThat(result.requests()).isBetween(198L, 202L);
            assertThat(result.histogram().getTotalCount()).isEqualTo(result.requests());
            assertThat(result.intendedRate()).isEqualTo(400);
        }
    }

    @Test
    void aStalledReplyDelaysTheRequestsBehindItAndTheirLatencyShowsIt() throws Exception {
        // One connection at 100/s; the server holds reply 30 (300 ms after the start, inside the
        // measured window) for 200 ms. A closed-loop client would simply send less and report one
        // slow request; measured from the intended times, the ~20 requests that should have gone
        // during the stall are late too, by up to ~200 ms (coordinated omission corrected).
        try (Servers server = new Servers(Servers.stallingEcho(32, 30, 200))) {
            OpenLoop.Result result = OpenLoop.run(server.address(), new Traffic.Echo(32), 1, 1, 100,
                    Duration.ofMillis(100), Duration.ofMillis(900), Duration.ofSeconds(5));
            assertThat(result.requests()).isBetween(89L, 91L);
            long slow = TimeUnit.MILLISECONDS.toNanos(100);
            assertThat(result.histogram().getMaxValue()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(180));
            assertThat(result.histogram().getCountBetweenValues(slow, Long.MAX_VALUE / 2))
                    .as("requests intended during the stall count as late")
                    .isGreaterThanOrEqualTo(8);
        }
    }
}
