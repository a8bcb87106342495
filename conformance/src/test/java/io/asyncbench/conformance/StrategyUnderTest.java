package io.asyncbench.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * A strategy as a test argument: prints as its id, so every display name reads
 * {@code [selector] echo 1 MiB}, and skips (with the strategy's own reason) when the strategy is
 * unavailable here or does not declare the workload, the way asyncio's suite raises SkipTest.
 */
public record StrategyUnderTest(Strategy strategy) {

    /** Every strategy on the test class path, narrowed by {@code -Dasyncbench.strategies=...}. */
    public static Stream<StrategyUnderTest> all() {
        List<Strategy> strategies = Strategies.all();
        if (strategies.isEmpty()) {
            throw new IllegalStateException("no strategy on the class path: the conformance suite "
                    + "would test nothing (check the impl-* test dependencies)");
        }
        return strategies.stream().map(StrategyUnderTest::new);
    }

    public String id() {
        return strategy.id();
    }

    /** Skips the calling test unless this strategy can serve {@code workload} here. */
    public void assumeServes(Workload workload) {
        assumeTrue(strategy.availability().available(),
                () -> id() + " is unavailable: " + strategy.availability().reason());
        assumeTrue(strategy.serverWorkloads().contains(workload),
                () -> id() + " does not implement " + workload);
    }

    /** Starts the workload on loopback with an ephemeral port and the default budget. */
    public RunningServer start(Workload workload) {
        return start(ServerSpec.loopback(workload));
    }

    public RunningServer start(ServerSpec spec) {
        assumeServes(spec.workload());
        try {
            return strategy.start(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(id() + " could not start " + spec.workload(), e);
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
