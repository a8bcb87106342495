package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's counts of a process's threads, from a made-up /proc/<pid>/task and from this JVM's own. */
class KernelCountersTest {

    @TempDir
    Path tmp;

    private void task(Path tasks, String tid, String name, long reads, long writes, long voluntary, long involuntary)
            throws IOException {
        Path t = Files.createDirectories(tasks.resolve(tid));
        Files.writeString(t.resolve("comm"), name + "\n");
        Files.writeString(t.resolve("io"), "rchar: 1\nwchar: 2\nsyscr: " + reads + "\nsyscw: " + writes
                + "\nread_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n");
        Files.writeString(t.resolve("status"), "Name:\t" + name + "\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t"
                + voluntary + "\nnonvoluntary_ctxt_switches:\t" + involuntary + "\n");
    }

    @Test
    void sumsEveryThreadButJfrsOwnAndTheControlChannels() throws IOException {
        Path tasks = tmp.resolve("task");
        task(tasks, "100", "java", 10, 20, 30, 4);
        task(tasks, "101", "asyncbench-sele", 1_000, 900, 50, 6);
        task(tasks, "102", "JFR Sampler Thr", 5_000, 5_000, 5_000, 5_000);
        task(tasks, "103", "asyncbench-cont", 7_000, 7_000, 7_000, 7_000);

        KernelCounters c = KernelCounters.read(tasks);

        assertThat(c.readSyscalls()).isEqualTo(1_010);
        assertThat(c.writeSyscalls()).isEqualTo(920);
        assertThat(c.voluntarySwitches()).isEqualTo(80);
        assertThat(c.involuntarySwitches()).isEqualTo(10);
        assertThat(c.threads()).isEqualTo(2);

        KernelCounters earlier = new KernelCounters(10, 20, 30, 4, 2, c.atNanos() - 5_000_000);
        KernelCounters delta = c.minus(earlier);
        assertThat(delta.readSyscalls()).isEqualTo(1_000);
        assertThat(delta.involuntarySwitches()).isEqualTo(6);
        assertThat(delta.atNanos()).as("the time between the readings").isEqualTo(5_000_000);
    }

    @Test
    void aMissingFieldNamesTheFile() throws IOException {
        Path tasks = tmp.resolve("task");
        task(tasks, "100", "java", 1, 1, 1, 1);
        Files.writeString(tasks.resolve("100").resolve("io"), "rchar: 1\n");
        assertThatThrownBy(() -> KernelCounters.read(tasks)).isInstanceOf(IOException.class)
                .hasMessageContaining("100/io: no 'syscr' line");
    }

    @Test
    void thisJvmsOwnThreadsCountTheirReads() throws IOException {
        long pid = ProcessHandle.current().pid();
        KernelCounters before = KernelCounters.read(pid);
        Path file = Files.writeString(tmp.resolve("f"), "x");
        for (int i = 0; i < 50; i++) {
            Files.readAllBytes(file); // at least one read(2) each
        }
        KernelCounters after = KernelCounters.read(pid);
        assertThat(before.threads()).isPositive();
        assertThat(after.minus(before).readSyscalls()).isGreaterThanOrEqualTo(50);
    }
}
