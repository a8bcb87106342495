package io.asyncbench.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
        long end = System.nanoTime() + 200_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        Path file = tmp.resolve("sub").resolve("window.jfr");
        String answer = flight.control("stop " + file);

        assertThat(answer).matches("jfr ok \\d+ bytes");
        assertThat(Files.size(file)).isEqualTo(Long.parseLong(answer.split(" ")[2]));
        long samples = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample")).count();
        assertThat(samples).as("sampled every " + FlightRecording.SAMPLING_PERIOD + " for 200 ms (x=" + x + ")")
                .isGreaterThan(10);
        assertThat(flight.control("stop " + file)).as("the recording is gone once written")
                .isEqualTo("jfr failed: no recording was started");
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
