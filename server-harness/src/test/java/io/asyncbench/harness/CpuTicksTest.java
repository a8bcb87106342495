package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** /proc/stat and /proc/<pid>/stat arithmetic on synthetic input with known answers. */
class CpuTicksTest {

    private static final String PROC_STAT = """
            cpu  300 10 200 5000 40 5 6 7 0 0
            cpu0 100 0 50 2500 20 1 2 3 0 0
            cpu1 200 10 150 2500 20 4 4 4 0 0
            intr 12345 1 2 3
            ctxt 999
            btime 1700000000
            """;

    @Test
    void busyIsProcessTimeAndStealPerCpu() {
        Map<Integer, CpuTicks.Cpu> cpus = CpuTicks.parseProcStat(PROC_STAT);
        assertThat(cpus).containsOnlyKeys(0, 1);
        // cpu0: user 100 + system 50 + steal 3 = 153 (irq 1 and softirq 2 are charged to no process);
        // total adds idle 2500, iowait 20, irq and softirq
        assertThat(cpus.get(0)).isEqualTo(new CpuTicks.Cpu(153, 2676));
        assertThat(cpus.get(1)).isEqualTo(new CpuTicks.Cpu(364, 2892));
        assertThat(CpuTicks.sum(cpus, List.of(0, 1, 7))).isEqualTo(new CpuTicks.Cpu(517, 5568));
        assertThat(CpuTicks.parseProcStat("cpu0 1 2 3 4\n")).containsEntry(0, new CpuTicks.Cpu(6, 10));
        assertThatThrownBy(() -> CpuTicks.parseProcStat("cpu3 1 2 3\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu3 1 2 3");
    }

    @Test
    void processTicksAreUtimePlusStimeCountedFromTheLastParenthesis() {
        String line = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 8 9 20 0 40 0 "
                + "123456 4000000 2000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0";
        assertThat(CpuTicks.parseProcessStat(line)).isEqualTo(1234 + 567);
        assertThatThrownBy(() -> CpuTicks.parseProcessStat("4242 java S 1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisMachineAndThisProcessCanBeRead() {
        Map<Integer, CpuTicks.Cpu> cpus = CpuTicks.perCpu();
        assertThat(cpus).isNotEmpty().allSatisfy((cpu, c) -> assertThat(c.total()).isGreaterThanOrEqualTo(c.busy()));
        assertThat(CpuTicks.ofProcess(ProcessHandle.current().pid())).isNotNegative();
        assertThat(CpuTicks.ofProcess(Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void othersAreBusyTicksMinusOursPerElapsedTicksOfOneCpu() {
        // 2 CPUs for 100 ticks each (total grows 200); 130 busy ticks, 100 of them ours: others 30
        // ticks over 100 ticks of wall time = 30 % of one core
        CpuTicks.Cpu before = new CpuTicks.Cpu(1000, 5000);
        CpuTicks.Cpu after = new CpuTicks.Cpu(1130, 5200);
        assertThat(OtherProcesses.otherPercent(before, after, 2, 100)).isCloseTo(30.0, within(1e-9));
        // ours counted exactly, the CPUs sampled: a quiet window may round below zero
        assertThat(OtherProcesses.otherPercent(before, after, 2, 140)).isZero();
        assertThat(OtherProcesses.otherPercent(before, before, 2, 0)).isNaN();
        assertThat(new OtherProcesses.Share(4.9, 5.0).busy()).isFalse();
        assertThat(new OtherProcesses.Share(0, 5.1).busy()).isTrue();
        assertThat(new OtherProcesses.Share(6, Double.NaN).busy()).isTrue();
        assertThat(OtherProcesses.Share.UNKNOWN.busy()).isFalse();
    }
}
