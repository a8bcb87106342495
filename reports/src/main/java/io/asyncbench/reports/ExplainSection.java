package io.asyncbench.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * "Where the time goes": for every explained setting ({@code run --explain}), per strategy, the
 * methods with the most self time and the allocation sites with the most bytes ({@link Hotspots},
 * from the JFR recordings), and the kernel's system calls and context switches per operation
 * ({@link PerOperation}, from {@code /proc}). Several recordings of one strategy and setting (one per
 * JMH fork) are added up. A recording that is missing or cannot be read leaves its row with the
 * reason; the rest of the report is unaffected.
 */
final class ExplainSection {

    /** Fewer reads per operation than this: the server's reads are not the kind /proc counts. */
    static final double READS_AT_LEAST = 0.01;

    /** Fewer samples than this: the shares are rough, and the section says so. */
    static final long FEW_SAMPLES = 50;

    /** A server outside the JVM: kernel counts, no recording. */
    static final String EXTERNAL = "external";

    /** Rows of each table: enough to see the shape, few enough to compare seven strategies. */
    static final int TOP = 8;

    /**
     * One strategy in one setting.
     *
     * @param hotspots the samples of every readable recording, or null when none could be read
     * @param problems why a recording or a count is missing, one line each
     */
    record Row(String strategy, String kind, List<ExplainRun> runs, Hotspots hotspots, PerOperation perOperation,
               List<String> problems) {

        long operations() {
            return runs.stream().mapToLong(ExplainRun::operations).sum();
        }
    }

    /** One benchmark setting (benchmark and parameters), one row per strategy. */
    record Group(String workload, String label, SortedMap<String, String> params, List<Row> rows) {
    }

    /** Everything the section shows; {@code unreadable} names the files that could not be read at all. */
    record Explained(List<Group> groups, List<String> unreadable) {

        boolean isEmpty() {
            return groups.isEmpty() && unreadable.isEmpty();
        }
    }

    /**
     * The kernel's counts per operation, over the windows of one or more runs: the counts summed
     * over the operations summed. The counts were read right before and right after the server's
     * stats, and the load generator sends only inside the iteration, so both cover the same work.
     *
     * @param allocatedBytes JFR's allocation samples' bytes per operation, NaN without a recording
     */
    record PerOperation(double readSyscalls, double writeSyscalls, double voluntarySwitches,
                        double involuntarySwitches, double allocatedBytes) {

        /**
         * True when the kernel counted fewer than {@link #READS_AT_LEAST} reads per operation: a server
         * cannot answer without reading, and no workload here hands it more than 16 requests (or one
         * message) per read, so it reads with recv(2) (Netty's epoll transport, the C and asyncio
         * references), which {@code /proc/<pid>/io} does not count, nor its send(2): its system calls
         * are not known, and the tables say so instead of showing a near-zero.
         */
        boolean syscallsNotCounted() {
            return readSyscalls < READS_AT_LEAST;
        }

        /**
         * The kernel's figures of {@code runs} (NaN when none has counts, or no operation was counted),
         * and the bytes {@code hotspots} stand for over the operations of the recordings read.
         */
        static PerOperation of(List<ExplainRun> runs, Hotspots hotspots, long recordedOperations) {
            double reads = 0;
            double writes = 0;
            double voluntary = 0;
            double involuntary = 0;
            long operations = 0;
            for (ExplainRun r : runs) {
                if (r.kernel() == null) {
                    continue;
                }
                reads += r.kernel().readSyscalls();
                writes += r.kernel().writeSyscalls();
                voluntary += r.kernel().voluntarySwitches();
                involuntary += r.kernel().involuntarySwitches();
                operations += r.operations();
            }
            double allocated = hotspots == null || recordedOperations == 0 ? Double.NaN
                    : (double) hotspots.allocatedBytes() / recordedOperations;
            if (operations == 0) {
                return new PerOperation(Double.NaN, Double.NaN, Double.NaN, Double.NaN, allocated);
            }
            return new PerOperation(reads / operations, writes / operations, voluntary / operations,
                    involuntary / operations, allocated);
        }
    }

    private ExplainSection() {
    }

    /** The section of the results folder {@code resultsDir} (empty when the run did not explain). */
    static Explained of(Path resultsDir, Comparator<String> strategyOrder) {
        ExplainReader.Read read = ExplainReader.read(resultsDir);
        return of(read, resultsDir.resolve(ExplainReader.DIR), strategyOrder);
    }

    static Explained of(ExplainReader.Read read, Path recordings, Comparator<String> strategyOrder) {
        Map<String, Map<String, List<ExplainRun>>> byGroup = new LinkedHashMap<>();
        read.runs().stream()
                .sorted(Comparator.comparing(ExplainRun::workload, KnownWorkload.ORDER)
                        .thenComparing(ExplainRun::benchmark)
                        .thenComparing(ExplainRun::params, Params.MAP_ORDER)
                        .thenComparing(ExplainRun::strategy, strategyOrder)
                        .thenComparing(ExplainRun::file))
                .forEach(r -> byGroup.computeIfAbsent(r.groupLabel(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r));
        List<Group> groups = new ArrayList<>();
        for (Map<String, List<ExplainRun>> strategies : byGroup.values()) {
            List<Row> rows = new ArrayList<>();
            for (List<ExplainRun> runs : strategies.values()) {
                rows.add(row(runs, recordings));
            }
            ExplainRun first = strategies.values().iterator().next().get(0);
            groups.add(new Group(first.workload(), first.groupLabel(), first.params(), List.copyOf(rows)));
        }
        return new Explained(List.copyOf(groups), read.problems());
    }

    private static Row row(List<ExplainRun> runs, Path recordings) {
        List<String> problems = new ArrayList<>();
        Hotspots.Builder samples = null;
        long recordedOperations = 0;
        for (ExplainRun r : runs) {
            if (r.kernel() == null) {
                problems.add(r.kernelProblem() == null ? "no kernel counts" : r.kernelProblem());
            }
            if (r.recording() == null) {
                if (!EXTERNAL.equals(r.kind())) {
                    problems.add(r.recordingProblem() == null ? "no recording" : r.recordingProblem());
                }
                continue;
            }
            try {
                Hotspots.Builder one = JfrSamples.read(recordings.resolve(r.recording()));
                samples = samples == null ? one : samples.addAll(one);
                recordedOperations += r.operations();
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        Hotspots hotspots = samples == null ? null : samples.build();
        ExplainRun first = runs.get(0);
        return new Row(first.strategy(), first.kind(), List.copyOf(runs), hotspots,
                PerOperation.of(runs, hotspots, recordedOperations), List.copyOf(problems));
    }
}
