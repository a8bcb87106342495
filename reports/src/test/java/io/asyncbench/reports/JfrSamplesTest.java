package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading a real recording of a known workload, and recordings that cannot be read. */
@Timeout(60)
class JfrSamplesTest {

    @TempDir
    Path tmp;

    @Test
    void theSpinningMethodHasTheMostSelfTimeAndTheArraysTheMostBytes() throws IOException {
        Path file = KnownRecording.write(tmp.resolve("known.jfr"), 1000);

        Hotspots h = JfrSamples.read(file).build();

        assertThat(h.samples()).as("sampled every 1 ms over 1 s of spinning (fewer on a busy machine)").isGreaterThanOrEqualTo(10);
        assertThat(h.cpuTime()).as("CPU-time samples are read where the JVM takes them").isEqualTo(KnownRecording.CPU_TIME);
        assertThat(h.topMethods(1).get(0).method()).isEqualTo(KnownRecording.SPIN);
        assertThat(h.topMethods(1).get(0).share()).isGreaterThan(0.5);
        assertThat(h.allocatedBytes()).isPositive();
        Hotspots.Allocation top = h.topAllocations(1).get(0);
        assertThat(top.site()).isEqualTo(KnownRecording.ALLOCATE);
        assertThat(top.objectClass()).isEqualTo("byte[]");
        assertThat(top.share()).isGreaterThan(0.5);
        assertThat(h.topMethods(Integer.MAX_VALUE)).as("the control channel's thread is left out")
                .noneMatch(m -> m.method().contains("spinOnTheControlChannel"));
        assertThat(h.topAllocations(Integer.MAX_VALUE)).noneMatch(a -> a.site().contains("spinOnTheControlChannel"));
    }

    @Test
    void theControlChannelAndJfrsOwnThreadsAreNotTheServersWork() {
        assertThat(JfrSamples.leftOut("asyncbench-control")).isTrue();
        assertThat(JfrSamples.leftOut("JFR Periodic Tasks")).isTrue();
        assertThat(JfrSamples.leftOut("asyncbench-selector-loop-0")).isFalse();
        assertThat(JfrSamples.leftOut((String) null)).isFalse();
    }

    @Test
    void aTruncatedRecordingSaysSoAndNamesTheFile() throws IOException {
        byte[] whole = Files.readAllBytes(KnownRecording.write(tmp.resolve("whole.jfr"), 50));
        Path half = tmp.resolve("half.jfr");
        Files.write(half, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> JfrSamples.read(half)).isInstanceOf(IOException.class)
                .hasMessageContaining("the recording half.jfr cannot be read (truncated, or not a JFR file?)");
    }

    @Test
    void aMissingOrForeignFileSaysSo() throws IOException {
        assertThatThrownBy(() -> JfrSamples.read(tmp.resolve("gone.jfr"))).isInstanceOf(IOException.class)
                .hasMessage("the recording gone.jfr is missing");
        Path text = Files.writeString(tmp.resolve("text.jfr"), "not a recording");
        assertThatThrownBy(() -> JfrSamples.read(text)).isInstanceOf(IOException.class)
                .hasMessageContaining("text.jfr cannot be read");
    }
}
