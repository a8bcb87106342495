package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClosedLoopTest {

    @Test
    void probesSeeTheRunsOwnOperationsAtEachBoundary() throws Exception {
        List<Integer> boundaries = Collections.synchronizedList(new ArrayList<>());
        List<Long> operations = Collections.synchronizedList(new ArrayList<>());
        try (Servers server = new Servers(Servers.echo(-1))) {
            ClosedLoop.Result result = ClosedLoop.run(server.address(), new Traffic.Echo(64), 2, 1, Duration.ofMillis(100),
                    Duration.ofMillis(600), Duration.ofSeconds(5), 3, (i, done) -> {
                        boundaries.add(i);
                        operations.add(done);
                    });
            assertThat(boundaries).containsExactly(0, 1, 2, 3);
            assertThat(operations).isSorted();
            // the probe reads while the loops run, so its window and the run's differ by a few replies
            long probed = operations.get(3) - operations.get(0);
            assertThat(probed).isPositive();
            assertThat((double) probed).isCloseTo(result.operations(), org.assertj.core.api.Assertions.withinPercentage(20));
        }
    }

    @Test
    void aStartTimeHoldsTheFirstRequestAndShiftsTheWindow() throws Exception {
        List<Long> at = Collections.synchronizedList(new ArrayList<>());
        List<Long> operations = Collections.synchronizedList(new ArrayList<>());
        try (Servers server = new Servers(Servers.echo(-1))) {
            long startNanos = System.nanoTime() + 300_000_000L;
            ClosedLoop.run(server.address(), new Traffic.Echo(64), 2, 1, Duration.ofMillis(100), Duration.ofMillis(200),
                    Duration.ofSeconds(5), 1, (i, done) -> {
                        at.add(System.nanoTime());
                        operations.add(done);
                    }, startNanos);
            assertThat(at.get(0)).as("the window opens after the start and the warm-up")
                    .isGreaterThanOrEqualTo(startNanos + 100_000_000L);
            assertThat(operations.get(1)).isGreaterThan(operations.get(0));
        }
    }
}
