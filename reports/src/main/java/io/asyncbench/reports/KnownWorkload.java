package io.asyncbench.reports;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** The workloads, as DESIGN.md names them: a headline and what one operation is, for labels. */
enum KnownWorkload {
    ECHO("echo", "TCP echo", "the client sends N-byte messages and waits for each to come back", "round trips"),
    HTTP("http", "HTTP/1.1 keep-alive server", "plaintext and JSON responses, with pipelining", "requests"),
    TIMERS("timers", "Timer fan-out", "N concurrent tasks each sleep d, then are gathered (asyncio.sleep + gather)", "gathers"),
    GATEWAY("gateway", "API gateway", "each request calls K backends concurrently and gathers them under a deadline", "requests"),
    PROXY("proxy", "TCP proxy", "bytes relayed between a client and a backend, with backpressure", "operations");

    static final Comparator<String> ORDER = Comparator
            .comparingInt((String id) -> byId(id).map(Enum::ordinal).orElse(Integer.MAX_VALUE))
            .thenComparing(Comparator.naturalOrder());

    final String id;
    final String title;
    final String description;
    final String operations;

    KnownWorkload(String id, String title, String description, String operations) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.operations = operations;
    }

    static Optional<KnownWorkload> byId(String id) {
        return Arrays.stream(values()).filter(w -> w.id.equals(id)).findFirst();
    }

    static String title(String id) {
        return byId(id).map(w -> w.title).orElse(id);
    }

    static String description(String id) {
        return byId(id).map(w -> w.description).orElse("");
    }

    /** JMH's "ops/s" in the workload's words ("round trips/s"); any other unit as it is. */
    static String unit(String workload, String jmhUnit) {
        if (jmhUnit.startsWith("ops/")) {
            return byId(workload).map(w -> w.operations).orElse("ops") + jmhUnit.substring(3);
        }
        return jmhUnit;
    }
}
