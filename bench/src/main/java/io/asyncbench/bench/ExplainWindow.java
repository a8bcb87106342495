package io.asyncbench.bench;

import io.asyncbench.harness.FlightRecording;
import io.asyncbench.harness.KernelCounters;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@code run --explain}: where the server's time goes in one measured iteration (the fork's last)
 * of a benchmark. {@code asyncbench run} names the folder (-D{@value #DIR}, the results folder's
 * {@code explain/}) for the http and echo throughput cases; without it nothing is recorded.
 *
 * <p>Over exactly that iteration (opened in {@link ServerMetrics}'s iteration set-up, closed in its
 * tear-down, outside JMH's timed window):
 * <ul>
 *   <li>a JFR recording made by the server JVM itself ({@code jfr start} / {@code jfr stop FILE} on
 *       its control channel, {@link FlightRecording}): {@code <name>.jfr};</li>
 *   <li>the kernel's counts of the server's threads ({@link KernelCounters}: read and write system
 *       calls, context switches), for external servers too, which have no JFR.</li>
 * </ul>
 * and one file that ties them to the benchmark, {@code <name>.json}, where the name is
 * {@code <Benchmark>.<method>__strategy=<id>__<param>=<value>...__server<pid>}:
 * <pre>
 *   {"benchmark": "io.asyncbench.bench.HttpBenchmark.throughput", "mode": "thrpt",
 *    "params": {"strategy": "selector", ...}, "workload": "http", "serverPid": 4242, "kind": "jvm",
 *    "iteration": 6, "operations": 15021, "windowMillis": 300.4,
 *    "recording": "HttpBenchmark.throughput__...__server4242.jfr",     or "recordingProblem": "..."
 *    "recordingStartMillis": 4.1, "recordingWriteMillis": 180.2,      outside the window
 *    "kernel": {"readSyscalls": 15100, "writeSyscalls": 15030, "voluntaryContextSwitches": 812,
 *               "involuntaryContextSwitches": 3, "threads": 21, "windowMillis": 302.1}
 *                                                                      or "kernelProblem": "..."}
 * </pre>
 * The recorded iteration carries JFR's cost (its samples are taken on the server's CPU); the
 * other iterations do not. A server of ours is first recorded, and the recording discarded,
 * through its warm-up, so that starting JFR (its class loading and compilation) is not in the
 * window.
 */
public final class ExplainWindow {

    /** The folder the forks write into. */
    public static final String DIR = "asyncbench.explainDir";

    /** What {@link FlightRecording} changes in JFR's default settings, for the run's metadata. */
    public static final String ALLOCATION_THROTTLE = FlightRecording.ALLOCATION_THROTTLE;

    /**
     * What the measured server's JVM adds to {@code JvmFlags.SERVER}: when the run explains,
     * {@link FlightRecording#PRECISE_FRAMES_FLAGS}, else nothing.
     */
    public static List<String> serverJvmFlags() {
        return dir() == null ? List.of() : FlightRecording.PRECISE_FRAMES_FLAGS;
    }

    /** How the recordings sample methods, in words, for the run's metadata. */
    public static String sampling() {
        return FlightRecording.sampling();
    }

    private final ServerUnderTest server;
    private final Path dir;
    private final String name;
    private final int iteration;
    private boolean recording;
    private String recordingProblem;
    private KernelCounters kernelBefore;
    private KernelCounters kernel;
    private String kernelProblem;
    /** What starting and writing the recording took, outside the window: the cost of explaining. */
    private long startNanos;
    private long writeNanos;

    private ExplainWindow(ServerUnderTest server, Path dir, String name, int iteration) {
        this.server = server;
        this.dir = dir;
        this.name = name;
        this.iteration = iteration;
    }

    /** The folder to write into, or null when nothing is to be explained. */
    static Path dir() {
        String dir = System.getProperty(DIR, "").trim();
        return dir.isEmpty() ? null : Path.of(dir);
    }

    /**
     * Starts recording {@code server}'s iteration {@code iteration} (1-based) if the run asked for it;
     * returns null if not, or if the server is not a process of ours. Call last in the iteration's
     * set-up; a failure is recorded, never thrown.
     */
    static ExplainWindow openIfAsked(ServerUnderTest server, BenchmarkParams benchmark, int iteration) {
        Path dir = dir();
        if (dir == null || server == null || !server.measurable()) {
            return null;
        }
        ExplainWindow w = new ExplainWindow(server, dir, fileName(benchmark, server.serverPid()), iteration);
        if (server.jvm()) {
            try {
                long t = System.nanoTime();
                server.jfr("start");
                w.startNanos = System.nanoTime() - t;
                w.recording = true;
            } catch (IOException | RuntimeException e) {
                w.recordingProblem = "JFR did not start: " + e.getMessage();
            }
        } else {
            w.recordingProblem = "not a JVM: no JFR recording (an external server)";
        }
        try {
            w.kernelBefore = KernelCounters.read(server.serverPid());
        } catch (IOException | RuntimeException e) {
            w.kernelProblem = "cannot read /proc for pid " + server.serverPid() + ": " + e;
        }
        return w;
    }

    /**
     * Reads the kernel's counts at the window's end: call right after the server's stats that end
     * the iteration, as {@link #openIfAsked} read them right before those that begin it. The load
     * generator sends only while JMH's threads drive it, inside the iteration, so the two readings
     * enclose the same work as the stats.
     */
    void countsAfter() {
        if (kernelBefore != null) {
            try {
                kernel = KernelCounters.read(server.serverPid()).minus(kernelBefore);
            } catch (IOException | RuntimeException e) {
                kernelProblem = "cannot read /proc for pid " + server.serverPid() + ": " + e;
            }
        }
    }

    /**
     * Ends the window (last in the iteration's tear-down, once {@link #countsAfter} and every
     * figure of the iteration were taken) and writes its files; a failure is printed to the fork's
     * log, never thrown.
     *
     * @param operations   what the server counted between the stats of the iteration's edges
     * @param windowNanos  the time between those stats
     */
    void close(BenchmarkParams benchmark, long operations, long windowNanos) {
        String recordingFile = null;
        if (recording) {
            try {
                Files.createDirectories(dir);
                long t = System.nanoTime();
                server.jfr("stop " + dir.resolve(name + ".jfr").toAbsolutePath());
                writeNanos = System.nanoTime() - t;
                recordingFile = name + ".jfr";
            } catch (IOException | RuntimeException e) {
                recordingProblem = "JFR did not write the recording: " + e.getMessage();
            }
        }
        try {
            write(document(benchmark, operations, windowNanos, recordingFile, kernel));
        } catch (IOException e) {
            System.err.println("asyncbench: cannot write " + dir.resolve(name + ".json") + ": " + e);
        }
    }

    private ObjectNode document(BenchmarkParams benchmark, long operations, long windowNanos,
                                String recordingFile, KernelCounters kernel) {
        ObjectNode doc = BenchmarkJsonFiles.identity(benchmark);
        doc.put("workload", server.workload().id());
        doc.put("serverPid", server.serverPid());
        doc.put("kind", server.jvm() ? "jvm" : "external");
        doc.put("iteration", iteration);
        doc.put("operations", operations);
        doc.put("windowMillis", millis(windowNanos));
        if (recordingFile != null) {
            doc.put("recording", recordingFile);
            doc.put("recordingStartMillis", millis(startNanos));
            doc.put("recordingWriteMillis", millis(writeNanos));
        } else {
            doc.put("recordingProblem", recordingProblem);
        }
        if (kernel != null) {
            ObjectNode k = doc.putObject("kernel");
            k.put("readSyscalls", kernel.readSyscalls());
            k.put("writeSyscalls", kernel.writeSyscalls());
            k.put("voluntaryContextSwitches", kernel.voluntarySwitches());
            k.put("involuntaryContextSwitches", kernel.involuntarySwitches());
            k.put("threads", kernel.threads());
            k.put("windowMillis", millis(kernel.atNanos()));
        } else {
            doc.put("kernelProblem", kernelProblem);
        }
        return doc;
    }

    private void write(ObjectNode doc) throws IOException {
        BenchmarkJsonFiles.writeAtomically(dir.resolve(name + ".json"), doc);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    /** {@code HttpBenchmark.throughput__strategy=selector__...__server4242}: which benchmark, which server. */
    static String fileName(BenchmarkParams benchmark, long serverPid) {
        String name = benchmark.getBenchmark();
        StringBuilder s = new StringBuilder(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
        // the strategy first: a reader looking for one strategy's recordings finds them by name
        s.append("__strategy=").append(benchmark.getParam("strategy"));
        for (String key : benchmark.getParamsKeys()) {
            if (!key.equals("strategy")) {
                s.append("__").append(key).append('=').append(benchmark.getParam(key));
            }
        }
        s.append("__server").append(serverPid);
        return s.toString().replaceAll("[^A-Za-z0-9_.=-]", "-");
    }
}
