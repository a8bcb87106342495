package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The line that opens a strategy's details names the kind of samples it counted, or that there were none. */
class ExplainTextTest {

    private static ExplainSection.Row row(Hotspots hotspots) {
        return new ExplainSection.Row("platform-threads", "jvm", List.of(), hotspots,
                new ExplainSection.PerOperation(1, 1, 1, 0, 0), List.of());
    }

    @Test
    void aRecordingWithoutSamplesSaysSoRatherThanNameAKind() {
        assertThat(ExplainText.summary(row(new Hotspots.Builder().build())))
                .startsWith("no samples, 0 B allocated per operation");
    }

    @Test
    void samplesAreCountedUnderTheKindTheRecordingTook() {
        Hotspots cpu = new Hotspots.Builder().cpuTimeSample("a.A.m").build();
        Hotspots execution = new Hotspots.Builder().executionSample("a.A.m").executionSample("a.A.m").build();
        assertThat(ExplainText.summary(row(cpu))).startsWith("1 CPU-time sample (few: the shares are rough)");
        assertThat(ExplainText.summary(row(execution))).startsWith("2 execution samples (few: the shares are rough)");
    }
}
