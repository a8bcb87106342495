package io.asyncbench.virtualthreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.TimerFanOut.Capacity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ThreadKindTest {

    @Test
    void virtualThreadsAreBoundedByHeapOnly() {
        assertThat(ThreadKind.VIRTUAL.capacity()).isEqualTo(Capacity.unbounded());
    }

    @Test
    void platformThreadsCannotHoldAMillionTasks() {
        assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/threads-max")), "needs Linux /proc");
        Capacity capacity = ThreadKind.PLATFORM.capacity();
        assertThat(capacity.maxTasks()).isPositive().isLessThan(1_000_000);
        assertThat(capacity.reason()).startsWith("one OS thread and its stack per task")
                .contains("kernel.threads-max=", "kernel.pid_max=", "threads alive on the machine");
    }

    @Test
    void factoriesNameThreadsOfTheirKind() {
        Thread virtual = ThreadKind.VIRTUAL.factory("virtual-threads", "conn").newThread(() -> { });
        Thread platform = ThreadKind.PLATFORM.factory("platform-threads", "conn").newThread(() -> { });
        assertThat(virtual.isVirtual()).isTrue();
        assertThat(virtual.getName()).isEqualTo("asyncbench-virtual-threads-conn-1");
        assertThat(platform.isVirtual()).isFalse();
        assertThat(platform.isDaemon()).isTrue();
        assertThat(platform.getName()).isEqualTo("asyncbench-platform-threads-conn-1");
    }
}
