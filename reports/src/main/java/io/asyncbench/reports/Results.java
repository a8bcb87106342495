package io.asyncbench.reports;

import java.nio.file.Path;
import java.util.List;

/** Everything one results folder holds, parsed and checked. */
record Results(Path dir, List<BenchmarkResult> benchmarks, Metadata metadata, boolean hasMetadata,
               List<LatencyRun> latency) {
}
