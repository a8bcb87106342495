package io.asyncbench.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import jdk.jfr.Recording;

/**
 * A real JFR recording of a known workload, made in the test's own JVM: this thread spins in
 * {@link #spinInJava} and allocates 4 KiB arrays in {@link #allocateArrays}, then a thread named as
 * a server's control channel does both ({@link #spinOnTheControlChannel}); with the settings
 * {@code run --explain} uses for those two events.
 */
final class KnownRecording {

    static final String SPIN = KnownRecording.class.getName() + ".spinInJava";
    static final String ALLOCATE = KnownRecording.class.getName() + ".allocateArrays";

    /** True when this JVM has {@code jdk.CPUTimeSample} (JDK 25 and later). */
    static final boolean CPU_TIME = cpuTimeSampling();

    /** Keeps the JIT from removing the work. */
    static volatile long sink;
    static volatile byte[] kept;

    private KnownRecording() {
    }

    /** Records {@code millis} of spinning, then a quarter of that of allocating, into {@code file}. */
    static Path write(Path file, long millis) throws IOException {
        try (Recording r = new Recording()) {
            if (CPU_TIME) {
                r.enable(JfrSamples.CPU_TIME_SAMPLE).with("throttle", "1ms").withStackTrace();
            } else {
                r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
            }
            r.setSettings(withAllocationSampling(r.getSettings()));
            r.start();
            spinInJava(millis);
            allocateArrays(Math.max(100, millis / 2)); // JFR throttles allocation samples per window: give it a few
            Thread control = new Thread(() -> spinOnTheControlChannel(millis / 2), JfrSamples.CONTROL_THREAD);
            control.start();
            try {
                control.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            r.stop();
            r.dump(file);
        }
        return file;
    }

    private static boolean cpuTimeSampling() {
        try {
            return jdk.jfr.Configuration.getConfiguration("default").getSettings()
                    .containsKey(JfrSamples.CPU_TIME_SAMPLE + "#enabled");
        } catch (IOException | java.text.ParseException e) {
            throw new IllegalStateException("JFR's default settings cannot be read", e);
        }
    }

    private static Map<String, String> withAllocationSampling(Map<String, String> settings) {
        Map<String, String> s = new java.util.HashMap<>(settings);
        s.put("jdk.ObjectAllocationSample#enabled", "true");
        s.put("jdk.ObjectAllocationSample#throttle", "1000/s");
        s.put("jdk.ObjectAllocationSample#stackTrace", "true");
        return s;
    }

    static void spinInJava(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    /** Work on a thread named as the server's control channel, whose samples the report leaves out. */
    static void spinOnTheControlChannel(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 3;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            kept = new byte[4096];
        }
        sink = x;
    }

    static void allocateArrays(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                kept = new byte[4096];
            }
        }
    }
}
