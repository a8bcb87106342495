package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessCpuClockTest {

    /** Where the foreign function API is final and the OS is Linux, the exact clock must be in use. */
    @Test
    void usesTheKernelsExactClockOnLinuxFromJdk22() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "not Linux");
        assumeTrue(Runtime.version().feature() >= 22, "the foreign function API is final from JDK 22");
        assertThat(ProcessCpuClock.isPrecise()).isTrue();
    }

    /**
     * The times(2) fallback moves in 10 ms steps; the exact clock in far smaller ones. Counted in
     * advances, not wall time: on a busy machine this thread may run only a few times in 200 ms.
     */
    @Test
    void resolvesWellBelowAClockTick() {
        assumeTrue(ProcessCpuClock.isPrecise(), "the exact clock is unavailable here");
        long smallestStep = Long.MAX_VALUE;
        long previous = ProcessCpuClock.nanos();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int advances = 0;
        while (advances < 10_000 && System.nanoTime() < end) {
            long now = ProcessCpuClock.nanos();
            assertThat(now).isGreaterThanOrEqualTo(previous);
            if (now > previous) {
                smallestStep = Math.min(smallestStep, now - previous);
                advances++;
            }
            previous = now;
        }
        assertThat(smallestStep).isLessThan(TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** Process time: another thread's CPU counts, after that thread has ended too. */
    @Test
    void countsTheCpuOfThreadsThatHaveEnded() throws InterruptedException {
        long[] spent = new long[1];
        long before = ProcessCpuClock.nanos();
        Thread spinner = new Thread(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() - start < TimeUnit.MILLISECONDS.toNanos(50)) {
                x += System.nanoTime() & 1;
            }
            spent[0] = threads.getCurrentThreadCpuTime() - start + (x & 0);
        });
        spinner.start();
        spinner.join();
        long after = ProcessCpuClock.nanos();
        // the fallback's ticks may lose up to one tick at each end
        long slack = ProcessCpuClock.isPrecise() ? 0 : TimeUnit.MILLISECONDS.toNanos(20);
        assertThat(after - before).isGreaterThanOrEqualTo(spent[0] - slack);
    }
}
