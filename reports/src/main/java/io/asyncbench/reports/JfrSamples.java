package io.asyncbench.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the samples {@link Hotspots} adds up from a JFR recording, with the JDK's own
 * {@link RecordingFile}: {@code jdk.CPUTimeSample} (JDK 25 and later) and {@code jdk.ExecutionSample}
 * (their top frames), and {@code jdk.ObjectAllocationSample} (its stack, allocated class and weight).
 * Every other event is skipped, and so are the samples of the server's control channel and of JFR's
 * own threads.
 */
final class JfrSamples {

    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    static final String ALLOCATION_SAMPLE = "jdk.ObjectAllocationSample";

    /**
     * The server's control channel, which answers the stats and jfr commands that bound the window
     * (bench's FlightRecording.CONTROL_THREAD): the measurement's work, not the server's.
     */
    static final String CONTROL_THREAD = "asyncbench-control";
    /** JFR's own threads (periodic tasks, recorder): the recording's work, not the server's. */
    static final String JFR_THREADS = "JFR ";

    private JfrSamples() {
    }

    /**
     * The samples of {@code file}, all or nothing.
     *
     * @throws IOException with a message a reader can act on when the file is missing, truncated or
     *                     not a recording
     */
    static Hotspots.Builder read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("the recording " + file.getFileName() + " is missing");
        }
        Hotspots.Builder samples = new Hotspots.Builder();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                add(recording.readEvent(), samples);
            }
        } catch (IOException | RuntimeException unreadable) {
            throw new IOException("the recording " + file.getFileName() + " cannot be read (truncated, or not a "
                    + "JFR file?): " + unreadable, unreadable);
        }
        return samples;
    }

    private static void add(RecordedEvent event, Hotspots.Builder samples) {
        String type = event.getEventType().getName();
        if (type.equals(EXECUTION_SAMPLE)) {
            if (leftOut(event.getThread("sampledThread"))) {
                return;
            }
            List<Hotspots.Frame> stack = stack(event.getStackTrace());
            if (!stack.isEmpty()) {
                Hotspots.Frame top = stack.get(0);
                samples.executionSample(Hotspots.qualified(top.className(), top.method()));
            }
        } else if (type.equals(CPU_TIME_SAMPLE)) {
            if (leftOut(event.getThread())) {
                return;
            }
            // A sample whose stack JFR could not walk still stands for CPU the thread used.
            List<Hotspots.Frame> stack = stack(event.getStackTrace());
            samples.cpuTimeSample(stack.isEmpty() ? Hotspots.NO_STACK
                    : Hotspots.qualified(stack.get(0).className(), stack.get(0).method()));
        } else if (type.equals(ALLOCATION_SAMPLE)) {
            if (leftOut(event.getThread())) {
                return;
            }
            RecordedClass allocated = event.getClass("objectClass");
            samples.allocationSample(Hotspots.site(stack(event.getStackTrace())),
                    allocated == null ? "(unknown class)" : Hotspots.javaName(allocated.getName()), Math.max(0, event.getLong("weight")));
        }
    }

    /** True for a sample of the control channel's or JFR's own threads (see {@link #leftOut(String)}). */
    private static boolean leftOut(RecordedThread thread) {
        return thread != null && leftOut(thread.getJavaName());
    }

    /** True for the name of a thread whose samples are not the server's work. */
    static boolean leftOut(String threadName) {
        return threadName != null && (threadName.equals(CONTROL_THREAD) || threadName.startsWith(JFR_THREADS));
    }

    /** The frames of a stack trace, top first; none when the event has no stack. */
    private static List<Hotspots.Frame> stack(RecordedStackTrace trace) {
        if (trace == null) {
            return List.of();
        }
        List<Hotspots.Frame> frames = new ArrayList<>(trace.getFrames().size());
        for (RecordedFrame f : trace.getFrames()) {
            RecordedMethod m = f.getMethod();
            if (m != null && m.getType() != null) {
                frames.add(new Hotspots.Frame(m.getType().getName(), m.getName()));
            }
        }
        return frames;
    }
}
