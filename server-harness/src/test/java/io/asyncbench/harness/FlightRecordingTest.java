package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** The server side of {@code jfr start / stop FILE / discard} on the control channel. */
@Timeout(60)
class FlightRecordingTest {

    @TempDir
    Path tmp;

    @Test
    void recordsAWindowWithJavaSamplesIntoTheFileNamed() throws Exception {
        FlightRecording flight = new FlightRecording();
        assertThat(flight.control("start")).isEqualTo("jfr ok started");
        long end = System.nanoTime() + 500_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        Path file = tmp.resolve("sub").resolve("window.jfr");
        String answer = flight.control("stop " + file);

        assertThat(answer).matches("jfr ok \\d+ bytes");
        assertThat(Files.size(file)).isEqualTo(Long.parseLong(answer.split(" ")[2]));
        String sampled = cpuTime() ? FlightRecording.CPU_TIME_SAMPLE : "jdk.ExecutionSample";
        long samples = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(sampled)).count();
        // CPU-time samples come at most at the kernel's tick (4 ms at 250 Hz), fewer on a busy machine.
        assertThat(samples).as("sampled every " + FlightRecording.SAMPLING_PERIOD + " for 500 ms (x=" + x + ")")
                .isGreaterThan(5);
        assertThat(flight.control("stop " + file)).as("the recording is gone once written")
                .isEqualTo("jfr failed: no recording was started");
    }

    @Test
    void whereTheJvmSamplesCpuTimeASystemCallCountsAgainstTheNativeMethodThatMadeIt() throws Exception {
        assumeTrue(cpuTime(), "this JVM has no " + FlightRecording.CPU_TIME_SAMPLE + " (JDK 25 and later)");
        FlightRecording flight = new FlightRecording();
        assertThat(flight.control("start")).isEqualTo("jfr ok started");
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        try (FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            long end = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < end) {
                devNull.write(one.clear()); // a system call that returns at once, over and over
            }
        }
        Path file = tmp.resolve("syscalls.jfr");
        assertThat(flight.control("stop " + file)).startsWith("jfr ok");

        List<RecordedFrame> tops = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(FlightRecording.CPU_TIME_SAMPLE))
                .filter(e -> Thread.currentThread().getName().equals(e.getThread().getJavaName()))
                .filter(e -> e.getStackTrace() != null && !e.getStackTrace().getFrames().isEmpty())
                .map(e -> e.getStackTrace().getFrames().get(0)).toList();
        long inNative = tops.stream().filter(f -> f.getType().equals("Native")).count();
        assertThat(tops).as("this thread's samples").hasSizeGreaterThan(10);
        assertThat(inNative).as("samples in a native method (execution samples would have none) of " + tops.size())
                .isGreaterThan(tops.size() / 10);
    }

    @Test
    void theIoEventsThatEveryReadAndWriteWouldAskAreOff() throws Exception {
        var defaults = Configuration.getConfiguration("default").getSettings();
        var explain = FlightRecording.settings();
        for (String io : List.of("jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead", "jdk.FileWrite")) {
            assertThat(defaults).as("JFR's default records " + io).containsEntry(io + "#enabled", "true");
            assertThat(explain).as("explain's settings").containsEntry(io + "#enabled", "false");
        }
    }

    private static boolean cpuTime() throws Exception {
        return FlightRecording.samplesCpuTime(Configuration.getConfiguration("default").getSettings());
    }

    @Test
    void aDiscardedRecordingWritesNothingAndBadCommandsSayWhatIsKnown() {
        FlightRecording flight = new FlightRecording();
        assertThat(flight.control("start")).isEqualTo("jfr ok started");
        assertThat(flight.control("discard")).isEqualTo("jfr ok discarded");
        assertThat(flight.control("stop")).isEqualTo("jfr failed: unknown command 'stop' (known: start, stop FILE, discard)");
        assertThat(flight.control("dump")).startsWith("jfr failed: unknown command 'dump'");
    }
}
