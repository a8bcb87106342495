package io.asyncbench.reports;

import java.nio.file.Path;
import java.util.List;

/** Everything one results folder holds, parsed and checked. */
record Results(Path dir, List<BenchmarkResult> benchmarks, Metadata metadata, boolean hasMetadata,
               List<LatencyRun> latency, List<ConnectionRun> connections) {

    /** Results without per-connection counts (older runs). */
    Results(Path dir, List<BenchmarkResult> benchmarks, Metadata metadata, boolean hasMetadata, List<LatencyRun> latency) {
        this(dir, benchmarks, metadata, hasMetadata, latency, List.of());
    }
}
