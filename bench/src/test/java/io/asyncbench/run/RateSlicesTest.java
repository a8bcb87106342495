package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.asyncbench.harness.OtherProcesses;
import io.asyncbench.load.OpenLoop;

import java.time.Duration;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** One rate's slices, taken in turns with other strategies, added up into one result. */
class RateSlicesTest {

    private static final double RATE = 1000;

    /** A 250 ms slice at 1,000/s: latencies of {@code latencyMicros}, each request {@code lagMicros} late. */
    private static OpenLoop.Result slice(double sentRate, double completedRate, long overrunMillis, long latencyMicros,
                                         long lagMicros, double generatorCpu) {
        Histogram latency = new Histogram(3);
        Histogram lags = new Histogram(3);
        for (int i = 0; i < 250; i++) {
            latency.recordValue(latencyMicros * 1000);
            lags.recordValue(lagMicros * 1000);
        }
        return new OpenLoop.Result(latency, lags, 250, RATE, sentRate, completedRate, overrunMillis * 1_000_000,
                generatorCpu, Duration.ofMillis(250));
    }

    private static List<CpuAtRate.Sample> samples(long startMs, long cpuMicrosPerRequest) {
        return List.of(new CpuAtRate.Sample(startMs * 1_000_000, 0, 0),
                new CpuAtRate.Sample((startMs + 250) * 1_000_000, 250 * cpuMicrosPerRequest * 1000, 250));
    }

    private static RateSlices twoSlices(OpenLoop.Result a, OpenLoop.Result b) {
        RateSlices slices = new RateSlices(RATE);
        slices.add(1000, a, samples(0, 10), 3, -1, 250_000_000, new OtherProcesses.Share(1.0, 2.0));
        slices.add(11_000, b, samples(10_000, 30), 5, -1, 250_000_000, new OtherProcesses.Share(3.0, 4.0));
        return slices;
    }

    @Test
    void theSlicesAddUpIntoOneRate() {
        RateSlices slices = twoSlices(slice(1000, 1000, -5, 100, 10, 40), slice(980, 960, -5, 300, 30, 60));
        assertThat(slices.count()).isEqualTo(2);
        assertThat(slices.startedAtMillis()).containsExactly(1000L, 11_000L);
        assertThat(slices.requests()).isEqualTo(500);
        assertThat(slices.histogram().getTotalCount()).isEqualTo(500);
        assertThat(slices.histogram().getMaxValue()).isCloseTo(300_000, within(300L));
        assertThat(slices.sentRate()).isEqualTo(990.0);
        assertThat(slices.completedRate()).isEqualTo(980.0);
        assertThat(slices.loadGeneratorCpuPercent()).isEqualTo(50.0);
        assertThat(slices.jitMillis()).isEqualTo(8);
        assertThat(slices.backendCpuPercent()).isNegative(); // no backends
        assertThat(slices.others().serverCpusPercent()).isEqualTo(2.0);
        assertThat(slices.others().loadCpusPercent()).isEqualTo(3.0);
        assertThat(slices.cpu(0).nanosPerOp()).isEqualTo(20_000.0); // 10 and 30 µs, 250 requests each
        assertThat(slices.sustain().sustained()).isTrue();
    }

    @Test
    void oneSliceThatOverranItsGraceFailsTheRateThoughTheTotalWouldHideIt() {
        // 150 ms after a 250 ms slice is past its 100 ms grace, though within a tenth of the total
        RateSlices slices = twoSlices(slice(1000, 1000, -5, 100, 10, 40), slice(1000, 1000, 150, 100, 10, 40));
        assertThat(slices.overran()).isTrue();
        assertThat(slices.sustain().sustained()).isFalse();
        assertThat(slices.sustain().reasons()).singleElement().asString().contains("150 ms after the window");
    }

    @Test
    void theRatesAreJudgedOverAllSlices() {
        // one slice sent 90 % on time, the other all: 95 % over both, below 97 %
        RateSlices slices = twoSlices(slice(900, 1000, -5, 100, 10, 40), slice(1000, 1000, -5, 100, 10, 40));
        assertThat(slices.sustain().reasons()).singleElement().asString().startsWith("sent 950/s of 1,000/s");
        // a median send lag above 1 ms over both slices' requests
        RateSlices late = twoSlices(slice(1000, 1000, -5, 100, 1500, 40), slice(1000, 1000, -5, 100, 1200, 40));
        assertThat(late.sustain().sustained()).isFalse();
    }

    @Test
    void aSliceAtAnotherRateIsRefused() {
        RateSlices slices = new RateSlices(2 * RATE);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> slices.add(0, slice(1000, 1000, 0, 1, 1, 1), samples(0, 1), 0, -1, 1,
                        OtherProcesses.Share.UNKNOWN));
    }
}
