package io.asyncbench.reports;

import java.util.List;
import java.util.Map;

/**
 * Test data: the facts the shipped strategies and references declare (their {@code Strategy.facts()},
 * as {@code run} writes them into metadata.json), for results built by hand in the tests.
 */
final class Lineups {

    static final List<Lineup.Entry> ENTRIES = List.of(
            new Lineup.Entry("callbacks", 10, "#E69F00", "impl-callbacks", false, "style", false),
            new Lineup.Entry("futures", 20, "#D55E00", "impl-futures", false, "style", false),
            new Lineup.Entry("virtual-threads", 30, "#009E73", "impl-virtualthreads", false, "style", false),
            new Lineup.Entry("platform-threads", 40, "#8C8C8C", "impl-virtualthreads", true, "style", false),
            new Lineup.Entry("selector", 50, "#CC79A7", "impl-selector", false, "style", false),
            new Lineup.Entry("netty-nio", 60, "#0072B2", "impl-netty", false, "peer", false),
            new Lineup.Entry("netty-epoll", 70, "#56B4E9", "impl-netty", false, "style", false),
            new Lineup.Entry("asyncio", 110, "#A6761D", "references", false, "model", true),
            new Lineup.Entry("uvloop", 120, "#8C6D46", "references", false, "style", true),
            new Lineup.Entry("c-epoll", 130, "#1A1A1A", "references", false, "limit", true));

    static final Lineup SHIPPED = Lineup.of(ENTRIES);

    /** metadata.json with nothing but the shipped strategies and their facts, as run writes it. */
    static Metadata metadata() {
        return withStrategies(Metadata.unknown());
    }

    /** {@code m} listing the shipped strategies with their facts (the references with kind "reference"). */
    static Metadata withStrategies(Metadata m) {
        List<Metadata.StrategyInfo> strategies = ENTRIES.stream().map(e -> new Metadata.StrategyInfo(e.id(),
                "the " + e.id() + " strategy", true, null, e.reference() ? "reference" : "jvm", e)).toList();
        return new Metadata(m.tool(), m.version(), m.profile(), m.startedAt(), m.finishedAt(), m.gitCommit(),
                m.jdkVendor(), m.jdkVersion(), m.jdkVmName(), m.osName(), m.osVersion(), m.osArch(), m.cpuModel(),
                m.cores(), m.memoryBytes(), m.placementServer(), m.placementLoadGenerator(),
                m.parameters() == null ? Map.of() : m.parameters(), strategies, m.failures());
    }

    private Lineups() {
    }
}
