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

    @Test
    void requestsLeaveOnScheduleAndTheClientSleepsBetweenThem() throws Exception {
        // 200/s on 4 connections for 1 s against a fast echo server: every request leaves at its
        // intended time (within a few ms), and between sends the client thread sleeps rather than
        // polls, so its CPU time is a small part of its wall time. A spinning client (the old
        // Thread.yield loop) kept its thread busy ~100 % of the time whatever the rate.
        try (Servers server = new Servers(Servers.echo(-1))) {
            OpenLoop.Result result = OpenLoop.run(server.address(), new Traffic.Echo(64), 4, 1, 200,
                    Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));
            assertThat(result.sendLags().getTotalCount()).as("one send lag per recorded request")
                    .isEqualTo(result.requests());
            assertThat(result.sendLags().getValueAtPercentile(50)).as("median send lag")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(5));
            assertThat(result.sentRate()).isBetween(196.0, 204.0);
            assertThat(result.completedRate()).isBetween(196.0, 204.0);
            assertThat(result.overrunNanos()).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(result.sustain().sustained()).as(result.sustain().reasons().toString()).isTrue();
            assertThat(result.loadGeneratorCpuPercent()).as("client thread CPU over wall time, %")
                    .isLessThan(25);
        }
    }

    @Test
    void aServerThatCannotKeepUpIsJudgedAsFallenBehind() throws Exception {
        // One connection, 100/s intended, a server that answers each message after 20 ms: at most
        // ~50/s can go, since a connection sends its next request only after the reply. The sent and
        // completed rates show it, the send lag grows, and the rule says it fell behind.
        try (Servers server = new Servers(Servers.slowEcho(32, 20))) {
            OpenLoop.Result result = OpenLoop.run(server.address(), new Traffic.Echo(32), 1, 1, 100,
                    Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(5));
            assertThat(result.sentRate()).isLessThan(60);
            assertThat(result.completedRate()).isLessThan(60);
            assertThat(result.sendLags().getMaxValue()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
            Sustain.Judgement judgement = result.sustain();
            assertThat(judgement.sustained()).isFalse();
            assertThat(judgement.reasons()).anyMatch(r -> r.startsWith("sent "));
        }
    }

    @Test
    void probesAreCalledAtEachSubWindowBoundaryInOrder() throws Exception {
        List<Long> at = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Integer> boundaries = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> operations = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Servers server = new Servers(Servers.echo(-1))) {
            long before = System.nanoTime();
            OpenLoop.run(server.address(), new Traffic.Echo(64), 2, 1, 100, Duration.ZERO,
                    Duration.ofMillis(400), Duration.ofSeconds(5), 4, (i, done) -> {
                        boundaries.add(i);
                        at.add(System.nanoTime());
                        operations.add(done);
                    });
            assertThat(boundaries).containsExactly(0, 1, 2, 3, 4);
            assertThat(operations).as("the run's verified operations, growing at 100/s").isSorted();
            assertThat(operations.get(4) - operations.get(0)).isBetween(20L, 60L);
            assertThat(at.get(0)).isGreaterThan(before);
            // the window starts START_AHEAD after the call; boundary i is i sub-windows of 100 ms later,
            // and a probe is never called before its boundary
            for (int i = 1; i < at.size(); i++) {
                assertThat(at.get(i) - before).as("boundary %d", i)
                        .isGreaterThanOrEqualTo(OpenLoop.START_AHEAD.toNanos() + TimeUnit.MILLISECONDS.toNanos(100L * i));
                assertThat(at.get(i)).isGreaterThan(at.get(i - 1));
            }
        }
    }
}
