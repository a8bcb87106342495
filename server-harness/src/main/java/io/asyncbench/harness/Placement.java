package io.asyncbench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Which CPUs the server and the load generator run on, and the thread budgets that follow.
 *
 * <p>With {@code taskset} and at least two CPUs, the load generator gets the first half of the
 * CPUs this process may use and the server the rest (on a 2-core machine: generator on CPU 0,
 * server on CPU 1), so the two never compete for a core and the server's CPU time is its own.
 * The server's IO thread budget is then its number of CPUs, for every strategy alike. Without
 * taskset, or with {@code -Dasyncbench.pin=off}, nothing is pinned and the budget is the number of
 * cores.
 *
 * <p>{@code asyncbench run} decides once and hands the decision to every JMH fork as system
 * properties ({@link #systemProperties()}); a fork started by plain {@code java -jar
 * benchmarks.jar} decides the same way itself.
 *
 * @param serverCpus    taskset CPU list for the server, e.g. {@code "1"}; null when unpinned
 * @param loadCpus      taskset CPU list for the load generator; null when unpinned
 * @param serverThreads the server's IO thread budget
 * @param loadThreads   load generator threads (client loops)
 */
public record Placement(String serverCpus, String loadCpus, int serverThreads, int loadThreads) {

    public static final String PIN = "asyncbench.pin";
    public static final String SERVER_CPUS = "asyncbench.serverCpus";
    public static final String LOAD_CPUS = "asyncbench.loadCpus";
    public static final String SERVER_THREADS = "asyncbench.serverThreads";
    public static final String LOAD_THREADS = "asyncbench.loadThreads";

    public Placement {
        if (serverThreads < 1 || loadThreads < 1) {
            throw new IllegalArgumentException("thread budgets must be at least 1");
        }
        if ((serverCpus == null) != (loadCpus == null)) {
            throw new IllegalArgumentException("pin both the server and the load generator, or neither");
        }
    }

    public boolean pinned() {
        return serverCpus != null;
    }

    /** From the system properties {@code run} sets; what is not set is decided as {@link #auto}. */
    public static Placement fromSystemProperties() {
        boolean pin = !"off".equalsIgnoreCase(System.getProperty(PIN, "auto"));
        Placement auto = auto(pin, allowedCpus(), tasksetAvailable());
        String server = System.getProperty(SERVER_CPUS);
        String load = System.getProperty(LOAD_CPUS);
        if (!pin || server == null || load == null || server.isBlank()) {
            server = auto.serverCpus;
            load = auto.loadCpus;
        }
        int serverThreads = Integer.getInteger(SERVER_THREADS,
                server == null ? auto.serverThreads : cpuCount(server));
        int loadThreads = Integer.getInteger(LOAD_THREADS,
                load == null ? auto.loadThreads : cpuCount(load));
        return new Placement(server, load, serverThreads, loadThreads);
    }

    /**
     * The default placement for these CPUs: pinned halves when {@code pin} and taskset allow it.
     */
    public static Placement auto(boolean pin, List<Integer> cpus, boolean taskset) {
        int n = Math.max(1, cpus.size());
        if (!pin || !taskset || cpus.size() < 2) {
            return new Placement(null, null, n, Math.max(1, n / 2));
        }
        int loadCount = cpus.size() / 2;
        String load = join(cpus.subList(0, loadCount));
        String server = join(cpus.subList(loadCount, cpus.size()));
        return new Placement(server, load, cpus.size() - loadCount, loadCount);
    }

    /** {@code -D} flags that make a JMH fork use this placement. */
    public List<String> systemProperties() {
        List<String> flags = new ArrayList<>();
        flags.add("-D" + PIN + "=" + (pinned() ? "auto" : "off"));
        if (pinned()) {
            flags.add("-D" + SERVER_CPUS + "=" + serverCpus);
            flags.add("-D" + LOAD_CPUS + "=" + loadCpus);
        }
        flags.add("-D" + SERVER_THREADS + "=" + serverThreads);
        flags.add("-D" + LOAD_THREADS + "=" + loadThreads);
        return flags;
    }

    /** The command prefix that starts a process on the server's CPUs (empty when unpinned). */
    public List<String> serverCommandPrefix() {
        return pinned() ? List.of("taskset", "-c", serverCpus) : List.of();
    }

    /** The command prefix that starts a process on the load generator's CPUs. */
    public List<String> loadCommandPrefix() {
        return pinned() ? List.of("taskset", "-c", loadCpus) : List.of();
    }

    /** "cpus 1" or "unpinned", as metadata.json records it. */
    public String describeServer() {
        return pinned() ? "cpus " + serverCpus : "unpinned";
    }

    public String describeLoadGenerator() {
        return pinned() ? "cpus " + loadCpus : "unpinned";
    }

    /** Moves every thread of this process (and so its future threads and children) to the load CPUs. */
    public void pinThisProcessToLoadCpus() {
        if (pinned()) {
            pinThisProcess(loadCpus);
        }
    }

    /** Moves every thread of this process to the server CPUs (the in-process timers workload). */
    public void pinThisProcessToServerCpus() {
        if (pinned()) {
            pinThisProcess(serverCpus);
        }
    }

    private static void pinThisProcess(String cpus) {
        long pid = ProcessHandle.current().pid();
        try {
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!taskset.waitFor(10, TimeUnit.SECONDS)) {
                taskset.destroyForcibly();
                throw new IllegalStateException("taskset did not finish in 10 s");
            }
            if (taskset.exitValue() != 0) {
                throw new IllegalStateException("taskset -a -p -c " + cpus + " " + pid + " exited with "
                        + taskset.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run taskset: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pinning", e);
        }
    }

    /** The CPUs this process may run on (Cpus_allowed_list), or 0..n-1 from the JVM. */
    public static List<Integer> allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseCpuList(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall back below
        }
        List<Integer> cpus = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            cpus.add(i);
        }
        return cpus;
    }

    /** "0-2,5" -> [0, 1, 2, 5]. */
    static List<Integer> parseCpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            if (dash < 0) {
                cpus.add(Integer.parseInt(p));
            } else {
                int from = Integer.parseInt(p.substring(0, dash));
                int to = Integer.parseInt(p.substring(dash + 1));
                for (int i = from; i <= to; i++) {
                    cpus.add(i);
                }
            }
        }
        return cpus;
    }

    static int cpuCount(String list) {
        return parseCpuList(list).size();
    }

    private static String join(List<Integer> cpus) {
        return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** True when a taskset binary is on the PATH. */
    public static boolean tasksetAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "taskset"))) {
                return true;
            }
        }
        return false;
    }
}
