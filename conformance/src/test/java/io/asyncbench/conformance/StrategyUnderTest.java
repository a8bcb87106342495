package io.asyncbench.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.external.ExternalServer;
import io.asyncbench.external.ExternalServerStrategy;
import io.asyncbench.external.ExternalServers;
import io.asyncbench.external.References;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A strategy as a test argument: prints as its id, so every display name reads
 * {@code [selector] echo 1 MiB}, and skips (with the strategy's own reason) when the strategy is
 * unavailable here or does not declare the workload, the way asyncio's suite raises SkipTest.
 *
 * <p>External servers are tested too: the shipped references (asyncio, uvloop, c-epoll) and any
 * {@code -Dasyncbench.external.NAME.WORKLOAD=COMMAND} (with {@code {port}} in COMMAND). They run
 * in a child process with no control channel, so checks of the server's own counters and threads
 * are left out for them; every check made from the client's side applies.
 */
public record StrategyUnderTest(Strategy strategy) {

    /**
     * Every strategy on the test class path, then every external server, narrowed by
     * {@code -Dasyncbench.strategies=...}.
     */
    public static Stream<StrategyUnderTest> all() {
        Set<String> selected = Strategies.selection();
        List<ExternalServer> externals = externals();
        Set<String> externalNames = externals.stream().map(ExternalServer::name).collect(Collectors.toSet());
        List<Strategy> discovered = Strategies.discovered(StrategyUnderTest.class.getClassLoader());
        if (discovered.isEmpty()) {
            throw new IllegalStateException("no strategy on the class path: the conformance suite "
                    + "would test nothing (check the impl-* test dependencies)");
        }
        for (String id : selected) {
            if (!externalNames.contains(id) && discovered.stream().noneMatch(s -> s.id().equals(id))) {
                throw new IllegalArgumentException("-D" + Strategies.SELECT_PROPERTY + " names '" + id
                        + "', neither a strategy on the class path " + Strategies.ids(discovered)
                        + " nor an external server " + externalNames);
            }
        }
        List<Strategy> strategies = new ArrayList<>(discovered.stream()
                .filter(s -> selected.isEmpty() || selected.contains(s.id())).toList());
        for (ExternalServer external : externals) {
            if (selected.isEmpty() || selected.contains(external.name())) {
                strategies.add(new ExternalServerStrategy(external));
            }
        }
        return strategies.stream().map(StrategyUnderTest::new);
    }

    /** The references, then the servers given as {@code -Dasyncbench.external.NAME.WORKLOAD=COMMAND}. */
    static List<ExternalServer> externals() {
        List<ExternalServer> externals = new ArrayList<>(References.all());
        externals.addAll(ExternalServers.from(System.getProperties()));
        return ExternalServer.merge(externals);
    }

    public String id() {
        return strategy.id();
    }

    /** The external server this is; only when {@link #external()}. */
    public ExternalServerStrategy externalServer() {
        return (ExternalServerStrategy) strategy;
    }

    /** True for a server in a child process (a reference, or one a user brought). */
    public boolean external() {
        return strategy instanceof ExternalServerStrategy;
    }

    /** Skips the calling test unless this strategy can serve {@code workload} here. */
    public void assumeServes(Workload workload) {
        assumeTrue(strategy.availability().available(),
                () -> id() + " is unavailable: " + strategy.availability().reason());
        assumeTrue(strategy.plays(workload),
                () -> id() + " does not implement " + workload);
    }

    /** Skips the calling test for an external server, which has no threads in this JVM to check. */
    public void assumeInProcess(String what) {
        assumeTrue(!external(), () -> id() + " runs in its own process: " + what + " cannot be checked from here");
    }

    /**
     * True when the server's own counters count (every JVM strategy). An external server has no
     * control channel: its counter checks are left out, and the checks from the client's side run.
     */
    public boolean counts() {
        return !external();
    }

    /** Starts the workload on loopback with an ephemeral port and the default budget. */
    public RunningServer start(Workload workload) {
        return start(ServerSpec.loopback(workload));
    }

    public RunningServer start(ServerSpec spec) {
        assumeServes(spec.workload());
        if (strategy instanceof ExternalServerStrategy external) {
            Optional<String> reason = external.cannotHonour(spec);
            assumeTrue(reason.isEmpty(), reason::orElseThrow);
        }
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
