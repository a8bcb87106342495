package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An external server's CPU time from synthetic /proc/<pid> folders. */
class ExternalServerSideTest {

    /** A stat line whose command holds spaces and parentheses; utime 250, stime 50 ticks. */
    private static final String STAT = "4242 (my (odd) server) S 1 4242 4242 0 -1 4194304 300 0 0 0 250 50 0 0 20 0 2 0 "
            + "100 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

    @Test
    void sumsTheNanosecondsOfEveryThreadFromSchedstat(@TempDir Path proc) throws IOException {
        write(proc.resolve("stat"), STAT);
        write(proc.resolve("schedstat"), "123456789 1000 7\n");
        write(proc.resolve("task/4242/schedstat"), "123456789 1000 7\n");
        write(proc.resolve("task/4243/schedstat"), "1001 5 1\n");
        assertThat(ExternalServerSide.cpuNanos(proc)).isEqualTo(123_457_790L);
    }

    @Test
    void leavesOutAThreadThatEndedWhileTheTasksWereRead(@TempDir Path proc) throws IOException {
        write(proc.resolve("schedstat"), "5 0 0\n");
        write(proc.resolve("task/1/schedstat"), "5 0 0\n");
        Files.createDirectories(proc.resolve("task/2")); // its schedstat is gone
        assertThat(ExternalServerSide.cpuNanos(proc)).isEqualTo(5);
    }

    @Test
    void fallsBackToStatClockTicksWithoutSchedstat(@TempDir Path proc) throws IOException {
        write(proc.resolve("stat"), STAT);
        write(proc.resolve("task/4242/stat"), STAT);
        assertThat(ExternalServerSide.cpuNanos(proc)).as("(250 + 50) ticks of 10 ms").isEqualTo(3_000_000_000L);
    }

    @Test
    void isMinusOneWhereProcCannotTell(@TempDir Path proc) throws IOException {
        assertThat(ExternalServerSide.cpuNanos(proc)).isEqualTo(-1);
        write(proc.resolve("stat"), "4242 (truncated");
        assertThat(ExternalServerSide.cpuNanos(proc)).isEqualTo(-1);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
