package io.asyncbench.reports;

import java.util.List;
import java.util.Map;

/**
 * metadata.json: where and how the run happened. Any field the file lacks is null (or empty), and the
 * report says "unknown" rather than guessing.
 */
record Metadata(
        String tool,
        String version,
        String profile,
        String startedAt,
        String finishedAt,
        String gitCommit,
        String jdkVendor,
        String jdkVersion,
        String jdkVmName,
        String osName,
        String osVersion,
        String osArch,
        String cpuModel,
        Integer cores,
        Long memoryBytes,
        String placementServer,
        String placementLoadGenerator,
        Map<String, String> parameters,
        List<StrategyInfo> strategies,
        List<Failure> failures) {

    /**
     * @param kind  {@code jvm}, {@code reference} or {@code external}; null in older folders
     * @param facts what the strategy declared about itself; null in folders written before run wrote them
     */
    record StrategyInfo(String id, String description, boolean available, String reason, String kind,
                        Lineup.Entry facts) {

        StrategyInfo(String id, String description, boolean available, String reason) {
            this(id, description, available, reason, null, null);
        }
    }

    record Failure(String benchmark, Map<String, String> params, String message) {
    }

    static Metadata unknown() {
        return new Metadata(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, Map.of(), List.of(), List.of());
    }
}
