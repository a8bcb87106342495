package io.asyncbench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * A JDK Flight Recorder recording made inside a server's own JVM, on its control channel
 * ({@code serve --control-stdin}: {@code jfr start}, {@code jfr stop FILE}, {@code jfr discard}).
 * Asked for by the benchmark at the edges of one measured iteration ({@link ExplainWindow}), so the
 * recording covers that iteration and nothing else, with no attach and no {@code jcmd} process
 * started on the load generator's CPUs.
 *
 * <p>JFR's {@code default} settings, with the changes that a window of a few hundred milliseconds
 * needs. Where the JVM has {@value #CPU_TIME_SAMPLE} (JDK 25 and later, experimental), each thread
 * is sampled every {@value #SAMPLING_PERIOD} of the CPU it uses (the kernel checks CPU timers at
 * its tick, so at 250 Hz every 4 ms at best), in Java code, native code or a system call alike. A
 * server of these workloads spends most of its CPU in system calls, which {@code jdk.ExecutionSample}
 * (Java code only) never sees: its shares were of the Java part alone, from 6-40 samples a window.
 * Older JVMs sample Java methods every {@value #SAMPLING_PERIOD} instead (the default 20 ms would
 * give some 15 samples in quick's 0.3 s iterations). Allocations are sampled up to
 * {@value #ALLOCATION_THROTTLE} (default 150/s). The socket and file IO events are off. The events
 * JFR writes at the start of a chunk are moved to its end, after the window.
 */
public final class FlightRecording {

    /**
     * What a recorded JVM's command line needs: the JIT then keeps debug information at every
     * instruction, not only at safepoints, so a sample in compiled code is charged to the inlined
     * method it was in rather than to the nearest safepoint's (without it, a parser's loop showed
     * as a helper it had inlined). The code compiled is the same.
     */
    public static final List<String> PRECISE_FRAMES_FLAGS =
            List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints");

    /**
     * The thread that answers the control channel (stats, jfr): not the server's work, so the report
     * leaves its samples out, as {@link KernelCounters} leaves out its system calls. The reports
     * module matches the same name (io.asyncbench.reports.JfrSamples).
     */
    public static final String CONTROL_THREAD = "asyncbench-control";

    static final String SAMPLING_PERIOD = "1 ms";
    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    public static final String ALLOCATION_THROTTLE = "1000/s";
    static final List<String> IO_EVENTS = List.of("jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead", "jdk.FileWrite");

    private Recording recording;

    /**
     * Runs one control command (what follows {@code jfr }) and returns the one-line answer:
     * {@code jfr ok ...} or {@code jfr failed: ...}. Never throws: the server keeps serving.
     */
    public synchronized String control(String command) {
        String c = command.trim();
        try {
            if (c.equals("start")) {
                start();
                return "jfr ok started";
            }
            if (c.equals("discard")) {
                discard();
                return "jfr ok discarded";
            }
            if (c.startsWith("stop ") && !c.substring(5).isBlank()) {
                Path file = Path.of(c.substring(5).trim());
                return "jfr ok " + stop(file) + " bytes";
            }
            return "jfr failed: unknown command '" + c + "' (known: start, stop FILE, discard)";
        } catch (IOException | ParseException | RuntimeException e) {
            return "jfr failed: " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    /** Starts a recording (closing one still open: only one window is recorded at a time). */
    void start() throws IOException, ParseException {
        if (!FlightRecorder.isAvailable()) {
            throw new IllegalStateException("JFR is not available in this JVM");
        }
        discard();
        Recording r = new Recording(settings());
        r.setName("asyncbench-explain");
        r.setToDisk(true);
        r.start();
        recording = r;
    }

    /** Stops the recording and writes it to {@code file}; returns the file's size. */
    long stop(Path file) throws IOException {
        if (recording == null) {
            throw new IllegalStateException("no recording was started");
        }
        try {
            recording.stop();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            recording.dump(file);
            return Files.size(file);
        } finally {
            discard();
        }
    }

    /** Drops the recording, if any, without writing it. */
    public synchronized void discard() {
        if (recording != null) {
            recording.close();
            recording = null;
        }
    }

    static Map<String, String> settings() throws IOException, ParseException {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
        // What JFR emits when a chunk begins (the list of OS processes, the system properties, the
        // native libraries, ...) would run at the start of the measured window; at the chunk's end it
        // runs once the window is over, when the recording stops.
        settings.replaceAll((key, value) -> key.endsWith("#period")
                && (value.equals("everyChunk") || value.equals("beginChunk")) ? "endChunk" : value);
        if (samplesCpuTime(settings)) {
            settings.put(CPU_TIME_SAMPLE + "#enabled", "true");
            settings.put(CPU_TIME_SAMPLE + "#throttle", SAMPLING_PERIOD.replace(" ", ""));
            settings.put(CPU_TIME_SAMPLE + "#stackTrace", "true");
            settings.put("jdk.ExecutionSample#enabled", "false"); // the CPU-time samples see all it sees
        } else {
            settings.put("jdk.ExecutionSample#period", SAMPLING_PERIOD);
        }
        settings.put("jdk.ObjectAllocationSample#throttle", ALLOCATION_THROTTLE);
        // Every socket and file read and write of the JDK's own IO asks these events whether to
        // record itself (two clock reads, and a throttle on JDK 25): JFR's cost on the very path
        // being explained, for events the report does not read.
        for (String io : IO_EVENTS) {
            settings.put(io + "#enabled", "false");
        }
        return settings;
    }

    /** True when JFR's settings know {@value #CPU_TIME_SAMPLE}: this JVM can sample by CPU time. */
    static boolean samplesCpuTime(Map<String, String> settings) {
        return settings.containsKey(CPU_TIME_SAMPLE + "#enabled");
    }

    /** How this JVM's recordings sample methods, in words (for the run's metadata). */
    public static String sampling() {
        try {
            return samplesCpuTime(Configuration.getConfiguration("default").getSettings())
                    ? "each thread sampled every " + SAMPLING_PERIOD + " of its CPU time, or at the kernel's timer tick"
                            + " if that is coarser (" + CPU_TIME_SAMPLE + ")"
                    : "Java methods sampled every " + SAMPLING_PERIOD + " (jdk.ExecutionSample)";
        } catch (IOException | ParseException e) {
            return "JFR's default settings cannot be read: " + e.getMessage();
        }
    }
}
