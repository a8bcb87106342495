package io.asyncbench.reports;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** The workloads, as DESIGN.md names them: a headline and what one operation is, for labels. */
enum KnownWorkload {
    ECHO("echo", "TCP echo", "the client sends N-byte messages and waits for each to come back", "round trip", false, false),
    HTTP("http", "HTTP/1.1 keep-alive server", "plaintext and JSON responses, with pipelining", "request", false, false),
    TIMERS("timers", "Timer fan-out", "N concurrent tasks each sleep d, then are gathered (asyncio.sleep + gather)", "gather", true, false),
    GATEWAY("gateway", "API gateway", "each request calls K backends concurrently and gathers them under a deadline", "request", false, true),
    PROXY("proxy", "TCP proxy", "bytes relayed between a client and a backend, with backpressure", "operation", false, true);

    static final Comparator<String> ORDER = Comparator
            .comparingInt((String id) -> byId(id).map(Enum::ordinal).orElse(Integer.MAX_VALUE))
            .thenComparing(Comparator.naturalOrder());

    final String id;
    final String title;
    final String description;
    /** What JMH's "op" is in this workload, singular. */
    final String operation;
    /**
     * The strategy runs inside the JMH fork (no server process, no load generator): JMH's gc
     * profiler then measures the strategy itself. Every other workload has a server process.
     */
    final boolean runsInFork;
    /** The server calls backends, which share the load generator's CPUs and can set the pace. */
    final boolean hasBackends;

    KnownWorkload(String id, String title, String description, String operation, boolean runsInFork,
                  boolean hasBackends) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.operation = operation;
        this.runsInFork = runsInFork;
        this.hasBackends = hasBackends;
    }

    static boolean hasBackends(String id) {
        return byId(id).filter(w -> w.hasBackends).isPresent();
    }

    static Optional<KnownWorkload> byId(String id) {
        return Arrays.stream(values()).filter(w -> w.id.equals(id)).findFirst();
    }

    static String title(String id) {
        return byId(id).map(w -> w.title).orElse(id);
    }

    /** What one operation is ("round trip"); "operation" for a workload this report does not know. */
    static String operation(String id) {
        return byId(id).map(w -> w.operation).orElse("operation");
    }

    static String description(String id) {
        return byId(id).map(w -> w.description).orElse("");
    }

    /** JMH's unit in the workload's words: "ops/s" -> "round trips/s", "ms/op" -> "ms per gather"; others as they are. */
    static String unit(String workload, String jmhUnit) {
        jmhUnit = jmhUnit.startsWith("us/") ? "µs" + jmhUnit.substring(2) : jmhUnit;
        var w = byId(workload);
        if (w.isEmpty()) {
            return jmhUnit;
        }
        if (jmhUnit.startsWith("ops/")) {
            return w.get().operation + "s" + jmhUnit.substring(3);
        }
        if (jmhUnit.endsWith("/op")) {
            return jmhUnit.substring(0, jmhUnit.length() - 3) + " per " + w.get().operation;
        }
        return jmhUnit;
    }
}
