package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Server CPU per request at one rate, from stats read at sub-window boundaries. */
class CpuAtRateTest {

    private static CpuAtRate.Sample s(long atMs, long cpuMicros, long ops) {
        return new CpuAtRate.Sample(atMs * 1_000_000, cpuMicros * 1000, ops);
    }

    @Test
    void theWindowGivesTheFigureAndTheSubWindowsItsSpread() {
        // four 250 ms sub-windows, 1,000 requests each, costing 2, 3, 2 and 3 ms of server CPU
        CpuAtRate cpu = CpuAtRate.of(List.of(s(0, 10_000, 5_000), s(250, 12_000, 6_000),
                s(500, 15_000, 7_000), s(750, 17_000, 8_000), s(1000, 20_000, 9_000)));
        assertThat(cpu.windowNanosPerOp()).containsExactly(2000.0, 3000.0, 2000.0, 3000.0);
        assertThat(cpu.nanosPerOp()).isEqualTo(2500.0); // 10 ms / 4,000 requests
        assertThat(cpu.operations()).isEqualTo(4000);
        assertThat(cpu.cpuPercent()).isCloseTo(1.0, within(1e-9)); // 10 ms over 1 s
        // sd of {2,3,2,3} µs = 0.57735 µs; standard error 0.288675; t(3, 97.5 %) = 3.182446
        assertThat(cpu.error()).isCloseTo(918.69, within(0.05));
    }

    @Test
    void identicalSubWindowsHaveNoSpread() {
        CpuAtRate cpu = CpuAtRate.of(List.of(s(0, 0, 0), s(100, 500, 100), s(200, 1000, 200), s(300, 1500, 300)));
        assertThat(cpu.nanosPerOp()).isEqualTo(5000.0);
        assertThat(cpu.error()).isEqualTo(0.0);
    }

    @Test
    void aSubWindowWithoutRequestsHasNoFigureAndNothingMeasuredIsNull() {
        CpuAtRate cpu = CpuAtRate.of(List.of(s(0, 0, 0), s(100, 500, 0), s(200, 1500, 100)));
        assertThat(cpu.windowNanosPerOp().get(0)).isNaN();
        assertThat(cpu.windowNanosPerOp().get(1)).isEqualTo(10_000.0);
        assertThat(cpu.nanosPerOp()).isEqualTo(15_000.0);
        assertThat(cpu.error()).isNaN(); // one sub-window with requests: no interval
        assertThat(CpuAtRate.of(List.of(s(0, 0, 0)))).isNull();
        assertThat(CpuAtRate.of(List.of(s(0, 0, 7), s(100, 500, 7)))).isNull();
    }

    @Test
    void theCostOfReadingTheStatsIsTakenOffEachSubWindow() {
        // each 100 ms sub-window: 100 requests and 1,500 µs of CPU, of which 500 µs answered a stats request
        CpuAtRate cpu = CpuAtRate.of(List.of(s(0, 0, 0), s(100, 1500, 100), s(200, 3000, 200)), 500_000);
        assertThat(cpu.windowNanosPerOp()).containsExactly(10_000.0, 10_000.0);
        assertThat(cpu.nanosPerOp()).isEqualTo(10_000.0);
        assertThat(cpu.cpuPercent()).isCloseTo(1.0, within(1e-9)); // 2 ms of the traffic's CPU over 200 ms
    }

    @Test
    void slicesAddUpWithoutTheTimeBetweenThem() {
        // two slices of two 100 ms sub-windows; between them 5 s pass and 1 s of CPU goes to others' turns
        List<CpuAtRate.Sample> first = List.of(s(0, 0, 0), s(100, 1000, 100), s(200, 2000, 200));
        List<CpuAtRate.Sample> second = List.of(s(5200, 1_000_000, 9_000), s(5300, 1_003_000, 9_100),
                s(5400, 1_006_000, 9_200));
        CpuAtRate cpu = CpuAtRate.ofSlices(List.of(first, second), 0);
        assertThat(cpu.windowNanosPerOp()).containsExactly(10_000.0, 10_000.0, 30_000.0, 30_000.0);
        assertThat(cpu.nanosPerOp()).isEqualTo(20_000.0); // 8 ms over 400 requests
        assertThat(cpu.operations()).isEqualTo(400);
        assertThat(cpu.cpuPercent()).isCloseTo(2.0, within(1e-9)); // 8 ms over 400 ms measured
        assertThat(CpuAtRate.ofSlices(List.of(first, second), 0).error())
                .isEqualTo(CpuAtRate.of(List.of(s(0, 0, 0), s(100, 1000, 100), s(200, 2000, 200),
                        s(300, 5000, 300), s(400, 8000, 400)), 0).error());
    }
}
