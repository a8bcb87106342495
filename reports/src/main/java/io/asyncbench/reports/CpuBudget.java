package io.asyncbench.reports;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many cores the server and the load generator could use, so that their CPU use (which the bench
 * writes in percent of one core) reads as a share of what each had: 100 % = saturated, whatever the
 * machine. From metadata.json's placement ("cpus 0-3,6"); unpinned, both had the machine's cores;
 * with nothing known, one core, which leaves the bench's own figure unchanged.
 *
 * @param serverCpus    CPUs the server was pinned to, or null
 * @param loadCpus      CPUs the load generator was pinned to, or null
 * @param machineCores  the machine's cores, or null
 */
record CpuBudget(Integer serverCpus, Integer loadCpus, Integer machineCores) {

    private static final Pattern CPU_LIST = Pattern.compile("cpus\\s+([0-9,\\-\\s]+)");

    static CpuBudget of(Metadata m) {
        return new CpuBudget(cpuCount(m.placementServer()), cpuCount(m.placementLoadGenerator()), m.cores());
    }

    int serverCores() {
        return positive(serverCpus != null ? serverCpus : machineCores, 1);
    }

    /**
     * The load generator runs one client loop per JMH thread ({@code threads} in JMH's JSON) on its
     * CPUs, so it can keep at most the fewer of the two busy: one client thread at 100 % of one core
     * is saturated even on a machine with more.
     */
    int loadGeneratorCores(BenchmarkResult r) {
        int cpus = positive(loadCpus != null ? loadCpus : machineCores, Integer.MAX_VALUE);
        int threads = positive(r.threads(), Integer.MAX_VALUE);
        int n = Math.min(cpus, threads);
        return n == Integer.MAX_VALUE ? 1 : n;
    }

    /**
     * Every CPU the load side had: the load generator's and the backends' (gateway, proxy), which
     * share them. Their sum of CPU use over this says whether the load side was saturated.
     */
    int loadCores() {
        return positive(loadCpus != null ? loadCpus : machineCores, 1);
    }

    /** The number of CPUs in "cpus 0-3,6" (5); null for "unpinned", null or anything else. */
    static Integer cpuCount(String placement) {
        if (placement == null) {
            return null;
        }
        Matcher m = CPU_LIST.matcher(placement.trim());
        if (!m.matches()) {
            return null;
        }
        int n = 0;
        for (String part : m.group(1).replace(" ", "").split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] range = part.split("-", -1);
            try {
                int from = Integer.parseInt(range[0]);
                int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
                if (range.length > 2 || to < from) {
                    return null;
                }
                n += to - from + 1;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return n > 0 ? n : null;
    }

    private static int positive(Integer n, int otherwise) {
        return n != null && n > 0 ? n : otherwise;
    }
}
